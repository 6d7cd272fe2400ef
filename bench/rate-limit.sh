#!/usr/bin/env bash
# How much of ferry.delivery.rate-limit a run gets (BENCHMARKS.md, "Rate limit"): `ferry run` delivers
# RATE*SECONDS+1 records at concurrency 8 to the loopback stub, whose request log (sampled every 10 ms) gives the
# rate over the run and the most requests the stub saw in any one second. Target: at least 95 % of the rate,
# never more than the rate in a second. RateLimitTest checks the second part on every build; the share of the
# rate is a speed figure, measured here on a quiet machine.
#
#   bench/rate-limit.sh [RATE [SECONDS]]      (defaults 20 and 60)
#
# ferry runs as the JVM image runs it (bench/lib.sh: JDK 25 with its AOT cache, the heap the image gives at the chart's 256Mi limit); BENCH_FERRY_JVM replaces
# that java command and its options. Needs JDK 17 as `java` (the stub), a JDK 25 (BENCH_JDK25), awk, curl; builds
# with ./mvnw when the jar or the stub is missing or older than the sources. Output in target/bench/rate-limit-<time>/.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
RATE=${1:-20}
SECONDS_LONG=${2:-60}
N=$((RATE * SECONDS_LONG + 1))
bench_init rate-limit
build_if_stale
if [ -n "${BENCH_FERRY_JVM:-}" ]; then FERRY_JVM=$BENCH_FERRY_JVM; else image_jvm; FERRY_JVM=$IMAGE_JVM; fi
echo "ferry's JVM: ${FERRY_JVM//$ROOT\//}"
STUB_HEAP=-Xmx512m start_stub stub --log "$OUT/stub.log" --log-every-ms 10
mkdir -p "$OUT/data-rate/inbox"

awk -v n="$N" 'BEGIN { for (i = 1; i <= n; i++) printf "{\"id\":\"k%07d\",\"v\":%d}\n", i, i }' \
    >"$OUT/data-rate/inbox/records.ndjson"
RC=0
run_bounded $((SECONDS_LONG * 3 + 60)) "$OUT/ferry.log" env FERRY_DATA_DIR="$OUT/data-rate" FERRY_INBOX_SETTLE=0s \
    FERRY_TARGET_URL="$STUB_URL" FERRY_DELIVERY_RATE_LIMIT="$RATE" FERRY_DELIVERY_CONCURRENCY=8 \
    $FERRY_JVM -jar "$JAR" run || RC=$?
sleep 0.2 # the stub's last sample

# stub.log: "epochMillis requests ok 503 other" per change of the counts. The first sample that saw request 1
# opens the run. The most in one second: the largest count difference between two samples less than 1000 ms
# apart, i.e. requests that truly arrived within one second (a window that a 10 ms sample cuts may be missed).
awk -v rate="$RATE" -v n="$N" -v rc="$RC" -v load="$(cut -d' ' -f1-3 /proc/loadavg)" '
    !/^#/ && $2 > 0 { t[++k] = $1; c[k] = $2 }
    END {
        if (k == 0 || c[k] < n) { printf "only %d of %d requests reached the stub (ferry exit %d)\n", c[k], n, rc; exit 1 }
        last = 1; while (c[last] < n) last++
        per_s = (c[last] - 1) * 1000 / (t[last] - t[1])
        max = 0; j = 1
        for (i = 1; i <= k; i++) {
            while (t[i] - t[j] >= 1000) j++
            d = c[i] - c[j]; if (d > max) max = d
        }
        printf "rate limit %d/s, %d records, ferry exit %d, load %s\n", rate, n, rc, load
        printf "requests/s over the run: %.2f = %.1f %% of the rate (target >= 95 %%)\n", per_s, 100 * per_s / rate
        printf "most requests within one second: %d (target <= %d)\n", max, rate
    }' "$OUT/stub.log" | tee "$OUT/result.txt"
