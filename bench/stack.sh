#!/usr/bin/env bash
# What the design's stack alone can reach at zero latency, called blocking (as ferry calls it) and non-blocking.
#
#   bench/stack.sh [RECORDS]
#
# bench/stack-probe is a small Quarkus application with ferry's REST client method and ferry's fault-tolerance
# annotations (@CircuitBreaker on one bean around @Retry/@Timeout on another) and nothing of ferry's own work (no
# reading, keys, checkpoints). Against one warm loopback stub (as benchmark 1), at concurrency 8, it sends RECORDS
# (default 200000) PUTs each of these ways, and wrk gives the stub's ceiling:
#   blocking        a worker thread per request in flight, parked until its answer: ferry's way
#   async-await     the same annotations on methods returning Uni, each call awaited by a worker thread
#   async           the same Uni methods, the next request of each of the 8 lanes started from the previous answer:
#                   no thread waits
#   blocking-bare, async-bare   the REST client alone, without fault tolerance
# The table: records/s and CPU µs a record of the probe's whole process over the second half of its run, the stub's
# CPU a request (whole run), and the ratio to wrk's rate, the higher of one run before and one after. The probe runs on the JVM image's JDK and options (without ferry's AOT cache);
# BENCH_PROBE_JVM replaces them (e.g. BENCH_PROBE_JVM='java -Xmx205m' for tiered compilation on JDK 17).
# Needs what bench/run.sh needs; builds the probe with ./mvnw (it downloads the probe's few extra artifacts once).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
N=${1:-200000}
CONCURRENCY=8
WRK_SECONDS=10
for tool in java wrk jq curl awk; do
    command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install -y wrk jq)" >&2; exit 2; }
done
bench_init stack
build_if_stale
PROBE=$ROOT/bench/stack-probe/target/quarkus-app/quarkus-run.jar
if [ ! -f "$PROBE" ] || [ -n "$(find bench/stack-probe/src bench/stack-probe/pom.xml -type f -newer "$PROBE" | head -1)" ]; then
    echo "building the probe (./mvnw -f bench/stack-probe/pom.xml package)…"
    run_bounded 1200 "$OUT/build-probe.log" ./mvnw -B -q -f bench/stack-probe/pom.xml package \
        || { cat "$OUT/build-probe.log" >&2; exit 1; }
fi
if [ -n "${BENCH_PROBE_JVM:-}" ]; then
    PROBE_JVM=$BENCH_PROBE_JVM
else
    image_jvm
    PROBE_JVM=$(sed -E 's/ -XX:AOTCache=[^ ]*//' <<<"$IMAGE_JVM") # the cache holds ferry's classes, not the probe's
fi
echo "stack: $N records a way, concurrency $CONCURRENCY; probe JVM: $PROBE_JVM"
echo "machine: $(machine)"

start_stub stub
timeout 60 wrk -t2 -c$CONCURRENCY -d20s -s bench/put.lua "$STUB_URL" -- warm >/dev/null
curl -sf -X POST "$STUB_URL/_reset" >/dev/null
wrk_rate() { # wrk_rate PREFIX: wrk's requests/s against the stub; sets WRK_RPS
    local us reqs
    run_bounded $((WRK_SECONDS + 60)) "$OUT/wrk-$1.log" wrk -t2 -c$CONCURRENCY -d${WRK_SECONDS}s -s bench/put.lua \
        "$STUB_URL" -- "$1"
    read -r reqs us < <(sed -n 's/^WRK_RESULT requests=\([0-9]*\) duration_us=\([0-9]*\).*/\1 \2/p' "$OUT/wrk-$1.log")
    WRK_RPS=$(calc "$reqs / ($us / 1e6)" 0)
    curl -sf -X POST "$STUB_URL/_reset" >/dev/null
}
wrk_rate before
WRK_BEFORE=$WRK_RPS
echo "wrk -t2 -c$CONCURRENCY before: $WRK_BEFORE requests/s (load $(load))"

RESULTS=()
for mode in blocking async-await async blocking-bare async-bare; do
    s0=$(cpu_seconds "$STUB_PID")
    run_bounded 900 "$OUT/$mode.log" $PROBE_JVM -Dprobe.concurrency=$CONCURRENCY -jar "$PROBE" "$mode" "$STUB_URL" "$N" \
        || { echo "probe $mode failed:" >&2; tail -5 "$OUT/$mode.log" >&2; exit 1; }
    s1=$(cpu_seconds "$STUB_PID")
    curl -sf -X POST "$STUB_URL/_reset" >/dev/null
    read -r rate cpu_us < <(sed -n 's/^PROBE_RESULT .* steady_rate=\([0-9]*\) steady_cpu_us=\([0-9.]*\).*/\1 \2/p' "$OUT/$mode.log")
    RESULTS+=("$mode $rate $cpu_us $(calc "($s1 - $s0) / $N * 1e6" 0) $(load | tr ' ' '/')")
    echo "  $mode: $rate records/s, probe $cpu_us µs of CPU a record (load $(load))"
done
wrk_rate after
echo "wrk after: $WRK_RPS requests/s"
BEST=$(( WRK_RPS > WRK_BEFORE ? WRK_RPS : WRK_BEFORE ))
echo
echo "| way | records/s (2nd half) | of wrk ($BEST req/s, best of before/after) | probe CPU µs a record | stub CPU µs a request | load |"
echo "|---|---|---|---|---|---|"
for line in "${RESULTS[@]}"; do
    read -r mode rate cpu_us stub_us at <<<"$line"
    echo "| $mode | $rate | $(calc "$rate / $BEST") | $cpu_us | $stub_us | ${at//\// } |"
done
