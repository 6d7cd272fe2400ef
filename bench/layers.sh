#!/usr/bin/env bash
# What the required layers cost per record (the explanation of benchmark 1's gap, BENCHMARKS.md).
#
#   bench/layers.sh [RECORDS]
#
# Against one warm loopback stub (as benchmark 1), the same RECORDS-record file (default 200000) is sent
# at concurrency 8 by:
#   ferry            as shipped
#   ferry, FT off    MP_Fault_Tolerance_NonFallback_Enabled=false: the @Retry/@Timeout/@CircuitBreaker
#                    interceptors do nothing (diagnostic only: no retries, no breaker)
#   lean client      bench/LeanClient: parse, SHA-256, serialize, PUT on a bare Vert.x HttpClient
# Each line: records/s (median of the progress intervals in the run's second half) and the CPU the
# sender and the stub spent per record over that second half. Needs what bench/run.sh needs.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
N=${1:-200000}
OUT=$ROOT/target/bench/layers-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$OUT"
exec > >(tee -a "$OUT/output.txt") 2>&1
JAR=$ROOT/target/quarkus-app/quarkus-run.jar
CP="$ROOT/target/test-classes:$ROOT/target/quarkus-app/lib/main/*:$ROOT/target/quarkus-app/app/*"
[ -f "$JAR" ] && [ -f "$ROOT/target/test-classes/dev/ferry/bench/BenchStub.class" ] \
    || { echo "build first: ./mvnw -B -q package -DskipTests" >&2; exit 2; }
while read -r name; do unset "$name"; done < <(env | grep -oE '^(FERRY|QUARKUS|MP)_[A-Za-z0-9_]*' || true)
CLK_TCK=$(getconf CLK_TCK)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$OUT"/data; }
trap cleanup EXIT

java -Xmx3g -cp "$CP" dev.ferry.bench.BenchStub --port 0 >"$OUT/stub.out" 2>&1 &
STUB=$!
PIDS+=("$STUB")
URL=""
for _ in $(seq 300); do URL=$(sed -n 's/^listening on //p' "$OUT/stub.out"); [ -n "$URL" ] && break; sleep 0.1; done
[ -n "$URL" ] || { echo "stub did not start" >&2; exit 1; }
timeout 60 wrk -t2 -c8 -d20s -s bench/put.lua "$URL" -- warm >/dev/null
curl -sf -X POST "$URL/_reset" >/dev/null
RECORDS=$OUT/records.ndjson
awk -v n="$N" 'BEGIN { for (i = 1; i <= n; i++)
    printf "{\"id\":\"k%07d\",\"name\":\"customer %d\",\"email\":\"c%d@example.com\",\"amount\":\"%d.%02d\",\"currency\":\"EUR\",\"note\":\"benchmark record\"}\n",
        i, i, i, i % 10000, i % 100 }' >"$RECORDS"
echo "layers: $N records, concurrency 8, stub $URL (load $(cut -d' ' -f1-3 /proc/loadavg))"

ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
measure() { # measure NAME CMD...: runs CMD, samples its CPU and the stub's every second
    local name=$1 pid samples=$OUT/$1.cpu
    shift
    "$@" >"$OUT/$name.log" 2>&1 &
    pid=$!
    PIDS+=("$pid")
    : >"$samples"
    while kill -0 "$pid" 2>/dev/null; do
        echo "$(date +%s%3N) $(ticks "$pid") $(ticks "$STUB")" >>"$samples"
        sleep 1
    done
    wait "$pid" || true
    curl -sf -X POST "$URL/_reset" >/dev/null
    local rates median
    rates=$(sed -n 's/.*[pP][rR][oO][gG][rR][eE][sS][sS]:\{0,1\} \([0-9.]*\) records\/s.*/\1/p' "$OUT/$name.log")
    median=$(echo "$rates" | awk 'NF { v[++n] = $1 } END { k = 0; for (i = int(n / 2) + 1; i <= n; i++) w[++k] = v[i]
        for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (w[j] < w[i]) { t = w[i]; w[i] = w[j]; w[j] = t }
        printf "%.0f", (k % 2) ? w[(k + 1) / 2] : (w[k / 2] + w[k / 2 + 1]) / 2 }')
    awk -v t="$CLK_TCK" -v r="$median" -v name="$name" '$2 > 0 { ms[++n] = $1; f[n] = $2; s[n] = $3 } END {
        a = int(n / 2); dt = (ms[n] - ms[a]) / 1000
        printf "  %-14s %6d rec/s (median, 2nd half); CPU per record over the 2nd half: sender %4.0f µs, stub %3.0f µs\n",
            name, r, (f[n] - f[a]) / t / dt / r * 1e6, (s[n] - s[a]) / t / dt / r * 1e6 }' "$samples"
}
ferry() { # ferry NAME ENV...: one `ferry run` of the records
    local name=$1 data=$OUT/data/$1
    shift
    mkdir -p "$data/inbox"
    cp "$RECORDS" "$data/inbox/records.ndjson"
    measure "$name" env FERRY_DATA_DIR="$data" FERRY_INBOX_SETTLE=0s FERRY_TARGET_URL="$URL" FERRY_DELIVERY_CONCURRENCY=8 \
        FERRY_LOG_PROGRESS_INTERVAL=2s "$@" java -Xmx256m -Xmn24m -jar "$JAR" run
}
ferry "ferry"
ferry "ferry-ft-off" MP_Fault_Tolerance_NonFallback_Enabled=false
measure "lean-client" java -Xmx256m -Xmn24m -cp "$CP" dev.ferry.bench.LeanClient "$URL" "$RECORDS" 8
echo "logs: $OUT"
