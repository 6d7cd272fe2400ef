#!/usr/bin/env bash
# ferry's performance record: seven benchmarks, each a ratio measured in one run. See BENCHMARKS.md.
#
#   bench/run.sh [--quick] [--only 1,3,5] [--keep] [-- FERRY-COMMAND...]
#
#   1 throughput   records/s of `ferry run` vs wrk's records/s against the same loopback stub, concurrency 8
#   2 latency      records/s against a stub answering after 100 ms, concurrency 32, vs 32/0.1 s = 320/s
#   3 memory       peak RSS of a run of a big file vs a 10,000-record file, both with ferry's JVM
#   4 outage       requests sent to a dead API (503) in 60 s vs the breaker's bound; recovery delay once it is back
#   5 start        start-to-exit of `ferry run` on an empty inbox, as the image runs it and as it ran before, vs
#                  `java -version` (hyperfine)
#   6 short run    a whole 3,200-record run, process start to exit, against a stub answering after 50 ms at
#                  concurrency 16, vs wrk's rate against that stub; its CPU seconds vs the previous JVM image's
#   7 shaping      CPU per record of a run of one CSV file with a typical mapping (5 typed fields, 2 renames, a JSLT
#                  nesting) vs the same file with no shaping; 3 runs each, interleaved, medians (alone: --only 7, ~5 min)
#
# ferry runs as the JVM image runs it (src/main/docker/Dockerfile.jvm: JDK 25 with its AOT cache, its GC and JIT
# options) with the heap it gives at the chart's 256Mi limit (JAVA_MAX_MEM_RATIO, BENCH_MEMORY_LIMIT_MIB); BENCH_FERRY_JVM replaces that java command
# and its options (e.g. BENCH_FERRY_JVM='java -Xmx256m -Xmn24m'). "Previous" is the image before (bench/lib.sh).
# FERRY-COMMAND (`run` is added) replaces ferry's JVM and jar altogether, for benchmarks 1, 2, 4 and 7: the hosted
# native workflow gives the executable (bench/run.sh --quick --only 1 -- ./target/ferry-0.1.0-SNAPSHOT-runner); the
# stub and the lean client then run on `java` from BENCH_STUB_CP (bench/lib.sh).
# --quick: smaller sizes (the outage keeps its 60 s: default retry/breaker settings only). Needs JDK 17 as `java`,
# a JDK 25 (BENCH_JDK25), wrk, hyperfine, jq, GNU time (apt-get install -y wrk hyperfine jq time). Builds with
# ./mvnw when the jar or the stub class is missing or older than the sources. Every process it starts is stopped
# on exit; every wait is bounded. Logs stay in target/bench/run-<timestamp>/ (data dirs deleted unless --keep).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

QUICK=0
KEEP=0
ONLY="1,2,3,4,5,6,7"
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) QUICK=1 ;;
        --keep) KEEP=1 ;;
        --only) ONLY="$2"; shift ;;
        --) shift; break ;;
        -h|--help) sed -n '2,26p' "$0"; exit 0 ;;
        *) echo "unknown argument $1 (try --help)" >&2; exit 2 ;;
    esac
    shift
done
FERRY_GIVEN=("$@") # FERRY-COMMAND, if any
wanted() { [[ ",$ONLY," == *",$1,"* ]]; }

if [ "$QUICK" = 1 ]; then
    N_THROUGHPUT=10000; N_STEADY=50000; WRK_SECONDS=5; WRK_WARMUP=5; N_LATENCY=3200; N_MEM_BIG=100000; N_MEM_SMALL=10000
    N_OUTAGE=1000; HF_RUNS=5; N_SHAPING=30000
else
    N_THROUGHPUT=50000; N_STEADY=200000; WRK_SECONDS=10; WRK_WARMUP=20; N_LATENCY=9600; N_MEM_BIG=1000000; N_MEM_SMALL=10000
    N_OUTAGE=2000; HF_RUNS=10; N_SHAPING=100000
fi
CONCURRENCY=${BENCH_CONCURRENCY:-8}  # ferry.delivery.concurrency's default; wrk -c8 -t2
LAT_CONCURRENCY=32
LAT_MS=100
OUTAGE_MS=60000        # the outage; ferry.breaker.delay's default is 60s
BREAKER_DELAY_S=60; THRESHOLD=5; MAX_RETRIES=3   # ferry's defaults, for the bound of benchmark 4
STUB_HEAP=-Xmx3g
N_SHORT=3200; SHORT_MS=50; SHORT_CONCURRENCY=16; SHORT_RUNS=3   # benchmark 6, the issue's short run

for tool in java wrk hyperfine jq /usr/bin/time curl awk; do
    command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install -y wrk hyperfine jq time)" >&2; exit 2; }
done
bench_init run
if [ ${#FERRY_GIVEN[@]} -gt 0 ]; then
    # benchmark 3 reads the JVM's GC log, 5 and 6 compare with the previous JVM image (bench/short-run.sh takes a command)
    for b in 3 5 6; do wanted $b && { echo "benchmark $b needs ferry's JVM: not with a FERRY-COMMAND" >&2; exit 2; }; done
    [ -f "$ROOT/target/test-classes/dev/ferry/bench/BenchStub.class" ] || { echo "no stub: build the test classes" >&2; exit 2; }
    FERRY=("${FERRY_GIVEN[@]}")
    FERRY_JVM=java # the lean client's
else
    build_if_stale
    if [ -n "${BENCH_FERRY_JVM:-}" ]; then FERRY_JVM=$BENCH_FERRY_JVM; else image_jvm; FERRY_JVM=$IMAGE_JVM; fi
    FERRY=($FERRY_JVM -jar "$JAR")
fi

ferry_run() { # ferry_run NAME SECONDS ENV...: `ferry run` on $DATA under GNU time; sets RC, REPORT, TIME_FILE
    local name=$1 seconds=$2
    shift 2
    TIME_FILE=$OUT/$name.time
    RC=0
    run_bounded "$seconds" "$OUT/$name.log" env FERRY_DATA_DIR="$DATA" FERRY_INBOX_SETTLE=0s "$@" \
        /usr/bin/time -v -o "$TIME_FILE" "${FERRY[0]}" ${JAVA_EXTRA:-} "${FERRY[@]:1}" run || RC=$?
    REPORT=$(ls "$DATA"/reports/*.json 2>/dev/null | grep -v '/verify-' | tail -1 || true)
    if [ -z "$REPORT" ]; then
        echo "ferry run $name wrote no report (exit $RC):" >&2; tail -20 "$OUT/$name.log" >&2; exit 1
    fi
    cp "$REPORT" "$OUT/$name.report.json"
}
time_field() { time_value "$TIME_FILE" "$1"; } # a value of the last ferry_run's GNU time -v output
PROGRESS=2s # ferry.log.progress-interval for benchmarks 1 and 2: records/s per interval, to see the warm-up
progress_rates() { # progress_rates LOG: the records/s of every progress line (ferry's or LeanClient's), space-separated
    sed -n 's/.*[pP][rR][oO][gG][rR][eE][sS][sS]:\{0,1\} \([0-9.]*\) records\/s.*/\1/p' "$1" | awk '{ printf "%s%.0f", (NR > 1 ? " " : ""), $1 }'
}
steady_rate() { # steady_rate LOG: the median records/s of the progress intervals in the second half of the run
    progress_rates "$1" | tr ' ' '\n' | awk 'NF { v[++n] = $1 } END {
        if (n == 0) { print 0; exit } k = 0; for (i = int(n / 2) + 1; i <= n; i++) w[++k] = v[i]
        for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (w[j] < w[i]) { t = w[i]; w[i] = w[j]; w[j] = t }
        printf "%.0f", (k % 2) ? w[(k + 1) / 2] : (w[k / 2] + w[k / 2 + 1]) / 2 }'
}
measure_wrk() { # measure_wrk NAME PREFIX: wrk against $STUB_URL; sets WRK_RPS, WRK_REQS, STUB_WRK_CPU (s)
    local s0 s1 us non2xx user sys wall
    s0=$(cpu_seconds "$STUB_PID")
    run_bounded $((WRK_SECONDS + 60)) "$OUT/$1.log" /usr/bin/time -f 'WRK_CPU %U %S %e' \
        wrk -t2 -c$CONCURRENCY -d${WRK_SECONDS}s -s bench/put.lua "$STUB_URL" -- "$2"
    s1=$(cpu_seconds "$STUB_PID")
    read -r WRK_REQS us non2xx < <(sed -n 's/^WRK_RESULT requests=\([0-9]*\) duration_us=\([0-9]*\) non2xx=\([0-9]*\).*/\1 \2 \3/p' "$OUT/$1.log")
    read -r user sys wall < <(sed -n 's/^WRK_CPU //p' "$OUT/$1.log")
    WRK_RPS=$(calc "$WRK_REQS / ($us / 1e6)" 0)
    STUB_WRK_CPU=$(calc "$s1 - $s0")
    echo "    $1: $WRK_REQS requests in $(calc "$us / 1e6") s = $WRK_RPS/s (non-2xx $non2xx);" \
        "CPU: stub $STUB_WRK_CPU s = $(calc "$STUB_WRK_CPU / $WRK_REQS * 1e6" 0) µs/request" \
        "($(calc "$STUB_WRK_CPU / ($us / 1e6) / 2 * 100" 0)% of 2 cores), wrk $(calc "$user + $sys") s" \
        "= $(calc "($user + $sys) / $WRK_REQS * 1e6" 0) µs/request ($(calc "($user + $sys) / ($us / 1e6) / 2 * 100" 0)%)"
    curl -sf -X POST "$STUB_URL/_reset" >/dev/null
}
start_cpu_sampler() { # start_cpu_sampler FILE: every second "epochMillis ferryTicks stubTicks" of this script's
    # running `ferry run` (the process of $FERRY, not the time, timeout or env before it) and of $STUB_PID; sets SAMPLER_PID
    timeout 3600 bash -c '
        while sleep 1; do
            f=""; for p in $(pgrep -f -- "'"${FERRY[-1]}"' run"); do
                case "$(cat /proc/$p/comm 2>/dev/null)" in time|timeout|env|bash|"") ;; *) f=$p ;; esac; done
            [ -n "$f" ] || continue
            ft=$(awk "{ print \$14 + \$15 }" /proc/$f/stat 2>/dev/null) || continue
            st=$(awk "{ print \$14 + \$15 }" /proc/'"$STUB_PID"'/stat 2>/dev/null) || continue
            echo "$(date +%s%3N) $ft $st"
        done' >"$1" 2>/dev/null &
    SAMPLER_PID=$!
    PIDS+=("$SAMPLER_PID")
}
cpu_split() { # cpu_split FILE RECORDS_PER_S: ferry's and the stub's CPU over the second half of the samples
    awk -v t="$CLK_TCK" -v r="$2" '{ ms[NR] = $1; f[NR] = $2; s[NR] = $3 } END {
        if (NR < 4) { print "(too few samples)"; exit }
        a = int(NR / 2); b = NR; dt = (ms[b] - ms[a]) / 1000
        fc = (f[b] - f[a]) / t / dt; sc = (s[b] - s[a]) / t / dt
        printf "ferry %.0f%% and stub %.0f%% of 2 cores (%.2f + %.2f cores); ferry %.0f µs CPU/record, stub %.0f µs/request at %s records/s",
            fc * 50, sc * 50, fc, sc, fc / r * 1e6, sc / r * 1e6, r }' "$1"
}
gc_summary() { # gc_summary GCLOG: "N GCs, heap after GC max X MiB (last third Y MiB), committed max Z MiB"
    awk 'match($0, /[0-9]+M->[0-9]+M\([0-9]+M\)/) {
            split(substr($0, RSTART, RLENGTH), a, /M->|M\(|M\)/); n++; after[n] = a[2]; if (a[3] > c) c = a[3] }
         END { for (i = 1; i <= n; i++) { if (after[i] > m) m = after[i]; if (i > 2 * n / 3 && after[i] > t) t = after[i] }
               printf "%d GCs, heap after GC max %d MiB (last third of the run %d MiB), heap committed max %d MiB", n, m, t, c }' "$1"
}
ferry_cpu() { calc "$(time_field 'User time (seconds)') + $(time_field 'System time (seconds)')"; }

# ---------------------------------------------------------------- the machine
MACHINE="$(machine); $(java -version 2>&1 | sed -n 2p)"
echo "ferry benchmarks $STAMP ($([ "$QUICK" = 1 ] && echo quick || echo full)); logs in $OUT"
echo "machine: $MACHINE"
echo "ferry: ${FERRY[*]//$ROOT\//}"
echo "load average at start: $(load)"
ROWS=()
row() { # row BENCHMARK FERRY BASELINE RATIO TARGET MET LOAD
    ROWS+=("$(printf '| %s | %s | %s | %s | %s | %s | %s |' "$@")")
    printf '  => %s\n' "${ROWS[-1]}"
}
met() { awk "BEGIN { exit !($1) }" && echo yes || echo NO; }

# ---------------------------------------------------------------- 1. throughput vs the stub's ceiling
if wanted 1; then
    echo "[1] throughput: $N_THROUGHPUT records (whole run) and $N_STEADY records (steady state), concurrency" \
        "$CONCURRENCY, vs wrk -t2 -c$CONCURRENCY ${WRK_SECONDS}s before and after (load $(load))"
    start_stub stub-throughput
    # the stub's JIT needs a while: its ceiling is only its ceiling once warm
    run_bounded $((WRK_WARMUP + 60)) "$OUT/wrk-warmup.log" wrk -t2 -c$CONCURRENCY -d${WRK_WARMUP}s -s bench/put.lua \
        "$STUB_URL" -- warm
    curl -sf -X POST "$STUB_URL/_reset" >/dev/null
    L1=$(load)
    measure_wrk wrk-before before
    wrk_before=$WRK_RPS; stub_wrk_us=$(calc "$STUB_WRK_CPU / $WRK_REQS * 1e6" 0)

    # an empty run first: the JVM's own start and exit cost, to tell apart from the records' CPU
    new_data_dir empty-1
    ferry_run ferry-empty-1 120 FERRY_TARGET_URL="$STUB_URL"
    empty_cpu=$(ferry_cpu)

    new_data_dir throughput
    gen_ndjson "$N_THROUGHPUT" "$DATA/inbox/records.ndjson"
    stub0=$(cpu_seconds "$STUB_PID")
    ferry_run ferry-throughput 1800 FERRY_TARGET_URL="$STUB_URL" FERRY_DELIVERY_CONCURRENCY=$CONCURRENCY \
        FERRY_LOG_PROGRESS_INTERVAL=$PROGRESS
    stub1=$(cpu_seconds "$STUB_PID")
    curl -sf -X POST "$STUB_URL/_reset" >/dev/null
    delivered=$(jq .records.delivered "$REPORT"); duration=$(jq .durationSeconds "$REPORT")
    [ "$delivered" = "$N_THROUGHPUT" ] || echo "    WARNING: delivered $delivered of $N_THROUGHPUT (exit $RC)"
    ferry_rps=$(calc "$delivered / $duration" 0)
    cpu=$(ferry_cpu); wall=$(time_field 'Elapsed (wall clock) time (h:mm:ss or m:ss)')
    echo "    ferry: $delivered records in ${duration} s (report) = $ferry_rps/s; exit $RC; wall $wall;" \
        "records/s per $PROGRESS: $(progress_rates "$OUT/ferry-throughput.log")"
    echo "    CPU during ferry's run: ferry $cpu s, less an empty run's $empty_cpu s →" \
        "$(calc "($cpu - $empty_cpu) / $delivered * 1e6" 0) µs/record, $(calc "($cpu - $empty_cpu) / $duration / 2 * 100" 0)% of 2 cores;" \
        "stub $(calc "$stub1 - $stub0") s = $(calc "($stub1 - $stub0) / $delivered * 1e6" 0) µs/request" \
        "($stub_wrk_us under wrk), $(calc "($stub1 - $stub0) / $duration / 2 * 100" 0)% of 2 cores"

    # steady state: a longer run, records/s per progress interval once the JIT has caught up
    new_data_dir steady
    gen_ndjson "$N_STEADY" "$DATA/inbox/records.ndjson"
    STEADY_FILE=$OUT/steady-records.ndjson
    cp "$DATA/inbox/records.ndjson" "$STEADY_FILE"
    start_cpu_sampler "$OUT/ferry-steady.cpu"
    ferry_run ferry-steady 1800 FERRY_TARGET_URL="$STUB_URL" FERRY_DELIVERY_CONCURRENCY=$CONCURRENCY \
        FERRY_LOG_PROGRESS_INTERVAL=$PROGRESS
    stop_pid "$SAMPLER_PID"
    curl -sf -X POST "$STUB_URL/_reset" >/dev/null
    steady_delivered=$(jq .records.delivered "$REPORT"); steady_duration=$(jq .durationSeconds "$REPORT")
    steady=$(steady_rate "$OUT/ferry-steady.log")
    echo "    ferry, $steady_delivered records in $steady_duration s = $(calc "$steady_delivered / $steady_duration" 0)/s" \
        "(exit $RC); records/s per $PROGRESS: $(progress_rates "$OUT/ferry-steady.log"); median of the second half: $steady/s"
    echo "    CPU in the second half of that run: $(cpu_split "$OUT/ferry-steady.cpu" "$steady")"
    # diagnostic: ferry's essential per-record work (parse, key, SHA-256, serialize, PUT) on a bare Vert.x client,
    # same records, same stub, same concurrency: what the framework stack costs on top
    stub0=$(cpu_seconds "$STUB_PID")
    run_bounded 900 "$OUT/lean-client.log" $FERRY_JVM -cp "$CP" dev.ferry.bench.LeanClient "$STUB_URL" \
        "$STEADY_FILE" $CONCURRENCY || true
    stub1=$(cpu_seconds "$STUB_PID")
    curl -sf -X POST "$STUB_URL/_reset" >/dev/null
    read -r lean_n lean_s lean_cpu < <(sed -n 's/^LEAN_RESULT records=\([0-9]*\) seconds=\([0-9.]*\) cpu_seconds=\([0-9.]*\).*/\1 \2 \3/p' "$OUT/lean-client.log")
    if [ -n "${lean_n:-}" ]; then
        echo "    diagnostic, lean client (bench/LeanClient: Jackson + SHA-256 + bare Vert.x HttpClient, no REST" \
            "client/FT/metrics/checkpoints; same JVM warm-up): $lean_n records in $lean_s s = $(calc "$lean_n / $lean_s" 0)/s," \
            "CPU $(calc "$lean_cpu / $lean_n * 1e6" 0) µs/record ($(calc "$lean_cpu / $lean_s / 2 * 100" 0)% of 2 cores)," \
            "stub $(calc "($stub1 - $stub0) / $lean_n * 1e6" 0) µs/request; records/s per 2s: $(progress_rates "$OUT/lean-client.log");" \
            "median of the second half: $(steady_rate "$OUT/lean-client.log")/s"
    else
        echo "    diagnostic lean client failed: $(tail -3 "$OUT/lean-client.log")"
    fi

    measure_wrk wrk-after after
    wrk_after=$WRK_RPS
    L1="$L1 / $(load)"
    stop_pid "$STUB_PID"
    rm -f "$STEADY_FILE"
    wrk_rps=$(( wrk_before > wrk_after ? wrk_before : wrk_after ))
    echo "    wrk baseline, the stub's ceiling: the higher of before ($wrk_before/s) and after ($wrk_after/s) = $wrk_rps/s"
    ratio=$(calc "$ferry_rps / $wrk_rps")
    row "1a throughput, loopback stub, c=$CONCURRENCY, whole run ($N_THROUGHPUT rec)" "$ferry_rps rec/s" \
        "$wrk_rps req/s (wrk -t2 -c$CONCURRENCY, best of 2)" "$ratio" "≥ 0.5" "$(met "$ratio >= 0.5")" "$L1"
    ratio=$(calc "$steady / $wrk_rps")
    row "1b throughput, steady state (median $PROGRESS interval, 2nd half of a $N_STEADY-rec run)" "$steady rec/s" \
        "$wrk_rps req/s (wrk -t2 -c$CONCURRENCY, best of 2)" "$ratio" "≥ 0.5" "$(met "$ratio >= 0.5")" "$L1"
fi

# ---------------------------------------------------------------- 2. latency-bound: 100 ms answers, concurrency 32
if wanted 2; then
    ceiling=$(calc "$LAT_CONCURRENCY / ($LAT_MS / 1000)" 0)
    echo "[2] latency-bound: $N_LATENCY records, stub latency ${LAT_MS} ms, concurrency $LAT_CONCURRENCY (load $(load))"
    start_stub stub-latency --latency-ms "$LAT_MS"
    L2=$(load)
    new_data_dir latency
    gen_ndjson "$N_LATENCY" "$DATA/inbox/records.ndjson"
    ferry_run ferry-latency 900 FERRY_TARGET_URL="$STUB_URL" FERRY_DELIVERY_CONCURRENCY=$LAT_CONCURRENCY \
        FERRY_LOG_PROGRESS_INTERVAL=$PROGRESS
    L2="$L2 / $(load)"
    stop_pid "$STUB_PID"
    delivered=$(jq .records.delivered "$REPORT"); duration=$(jq .durationSeconds "$REPORT")
    [ "$delivered" = "$N_LATENCY" ] || echo "    WARNING: delivered $delivered of $N_LATENCY (exit $RC)"
    rps=$(calc "$delivered / $duration" 1)
    steady=$(steady_rate "$OUT/ferry-latency.log")
    echo "    ferry: $delivered records in $duration s = $rps/s; exit $RC; CPU $(ferry_cpu) s; records/s per" \
        "$PROGRESS: $(progress_rates "$OUT/ferry-latency.log"); median of the second half: $steady/s"
    ratio=$(calc "$rps / $ceiling")
    row "2a latency-bound, 100 ms stub, c=$LAT_CONCURRENCY ($N_LATENCY rec)" "$rps rec/s" "$ceiling rec/s (32 / 0.1 s)" \
        "$ratio" "≥ 0.9" "$(met "$ratio >= 0.9")" "$L2"
    ratio=$(calc "$steady / $ceiling")
    row "2b latency-bound, steady state (median $PROGRESS interval, 2nd half)" "$steady rec/s" \
        "$ceiling rec/s (32 / 0.1 s)" "$ratio" "≥ 0.9" "$(met "$ratio >= 0.9")" "$L2"
fi

# ---------------------------------------------------------------- 3. memory: big file vs small file, same heap cap
if wanted 3; then
    echo "[3] memory: peak RSS, $N_MEM_BIG vs $N_MEM_SMALL records, ferry's JVM (load $(load))"
    start_stub stub-memory
    # the stub forgets what it stored every 5 s, so that its own heap stays small next to ferry's
    timeout 7200 bash -c "while sleep 5; do curl -s -X POST '$STUB_URL/_reset' >/dev/null || true; done" &
    RESETTER=$!
    PIDS+=("$RESETTER")
    L3=$(load)
    # the small run three times (its peak RSS depends on how far G1 happened to spread eden): the median counts
    rss_list=""
    for i in 1 2 3; do
        new_data_dir mem-small-$i
        gen_ndjson "$N_MEM_SMALL" "$DATA/inbox/records.ndjson"
        JAVA_EXTRA="-Xlog:gc:file=$OUT/ferry-mem-small-$i.gc.log" ferry_run ferry-mem-small-$i 600 FERRY_TARGET_URL="$STUB_URL"
        rss=$(time_field 'Maximum resident set size (kbytes)')
        rss_list="$rss_list $rss"
        echo "    small #$i: $(jq .records.delivered "$REPORT") records, peak RSS $((rss / 1024)) MiB;" \
            "$(gc_summary "$OUT/ferry-mem-small-$i.gc.log")"
    done
    rss_small=$(echo $rss_list | tr ' ' '\n' | sort -n | sed -n 2p)
    new_data_dir mem-big
    gen_ndjson "$N_MEM_BIG" "$DATA/inbox/records.ndjson"
    echo "    big file $(du -h "$DATA/inbox/records.ndjson" | cut -f1)…"
    JAVA_EXTRA="-Xlog:gc:file=$OUT/ferry-mem-big.gc.log" ferry_run ferry-mem-big 3600 FERRY_TARGET_URL="$STUB_URL"
    rss_big=$(time_field 'Maximum resident set size (kbytes)')
    big_delivered=$(jq .records.delivered "$REPORT"); big_duration=$(jq .durationSeconds "$REPORT")
    L3="$L3 / $(load)"
    stop_pid "$RESETTER"
    stop_pid "$STUB_PID"
    [ "$big_delivered" = "$N_MEM_BIG" ] || echo "    WARNING: delivered $big_delivered of $N_MEM_BIG (exit $RC)"
    echo "    big: $big_delivered records in $big_duration s ($(calc "$big_delivered / $big_duration" 0)/s), peak RSS $((rss_big / 1024)) MiB; $(gc_summary "$OUT/ferry-mem-big.gc.log")"
    ratio=$(calc "$rss_big / $rss_small")
    row "3 memory, peak RSS ($N_MEM_BIG vs $N_MEM_SMALL rec)" "$((rss_big / 1024)) MiB" \
        "$((rss_small / 1024)) MiB (median of 3)" "$ratio" "≤ 1.3" "$(met "$ratio <= 1.3")" "$L3"
fi

# ---------------------------------------------------------------- 4. outage: dead API for 60 s, default settings
outage_analyse() { # outage_analyse NAME CONCURRENCY LOAD ROW-A ROW-B SUFFIX: reads $OUT/NAME-requests.log and $OUT/ferry-NAME.report.json
    local name=$1 c=$2 l=$3 log=$OUT/$1-requests.log report=$OUT/ferry-$1.report.json
    local first back during answered503 burst first_ok trials bound recovery ratio
    first=$(sed -n 's/^# first-request-seen //p' "$log")
    back=$(sed -n 's/^# outage-ends //p' "$log")
    # every request that arrived while the API was dead got 503 (no other fault is on): the exact count
    answered503=$(awk '!/^#/ { r = $4 } END { print r + 0 }' "$log")
    # cross-check from the arrival log (10 ms samples): requests seen before the API came back
    during=$(awk -v b="$back" '!/^#/ && $1 < b { r = $2 } END { print r + 0 }' "$log")
    # the first burst: requests within 30 s of the first one (the breaker then stays open for 60 s)
    burst=$(awk -v f="$first" '!/^#/ && $1 < f + 30000 { r = $2 } END { print r + 0 }' "$log")
    first_ok=$(awk '!/^#/ && $3 > 0 { print $1; exit }' "$log")
    trials=$(( OUTAGE_MS / 1000 / BREAKER_DELAY_S ))
    bound=$(( THRESHOLD * (MAX_RETRIES + 1) + trials ))
    if [ -n "$first_ok" ]; then recovery=$(calc "($first_ok - $back) / 1000" 1); else recovery=never; fi
    echo "    c=$c stub: $answered503 requests answered 503 during the outage ($during seen arriving before it ended)," \
        "$burst in the first 30 s; API back at +$(calc "($back - $first) / 1000" 1) s, first 2xx at" \
        "+$(calc "(${first_ok:-0} - $first) / 1000" 1) s"
    echo "    c=$c ferry report: exit $(jq .exitCode "$report"), delivered $(jq .records.delivered "$report")," \
        "failed $(jq .records.failed "$report"), left $(jq .records.left "$report"), retries $(jq .retries "$report")," \
        "breaker openings $(jq .breakerOpenings "$report"), reader paused $(calc "$(jq .readerPausedSeconds "$report")" 1) s," \
        "requests $(jq -c .requests "$report")"
    ratio=$(calc "$answered503 / $bound")
    row "$4 outage: requests to a dead API in 60 s, c=$c$6" "$answered503 req" \
        "$bound = $THRESHOLD×($MAX_RETRIES+1) + $trials trial" "$ratio" "≤ 1" "$(met "$ratio <= 1")" "$l"
    if [ "$recovery" = never ]; then
        row "$5 outage: first delivery after the API is back, c=$c$6" "never" "$((BREAKER_DELAY_S + 1)) s" "-" "≤ 1" "NO" "$l"
    else
        ratio=$(calc "$recovery / ($BREAKER_DELAY_S + 1)")
        row "$5 outage: first delivery after the API is back, c=$c$6" "$recovery s" \
            "$((BREAKER_DELAY_S + 1)) s (delay + 1 s)" "$ratio" "≤ 1" "$(met "$ratio <= 1")" "$l"
    fi
}
if wanted 4; then
    echo "[4] outage: every request 503 for $((OUTAGE_MS / 1000)) s from ferry's first request, then healthy;" \
        "default retry/breaker settings; $N_OUTAGE records; default concurrency $CONCURRENCY, and concurrency 1" \
        "alongside (README's serial case) (load $(load))"
    L4=$(load)
    # concurrency 1, in the background (the two runs wait on the breaker, not on the CPU)
    start_stub stub-outage-c1 --outage-from-first-ms "$OUTAGE_MS" --log "$OUT/outage-c1-requests.log"
    STUB_C1=$STUB_PID
    new_data_dir outage-c1
    gen_ndjson "$N_OUTAGE" "$DATA/inbox/records.ndjson"
    DATA_C1=$DATA
    timeout -k 10 600 env FERRY_DATA_DIR="$DATA" FERRY_INBOX_SETTLE=0s FERRY_TARGET_URL="$STUB_URL" \
        FERRY_DELIVERY_CONCURRENCY=1 "${FERRY[@]}" run >"$OUT/ferry-outage-c1.log" 2>&1 &
    FERRY_C1=$!
    PIDS+=("$FERRY_C1")
    # the default concurrency, in the foreground
    start_stub stub-outage-c8 --outage-from-first-ms "$OUTAGE_MS" --log "$OUT/outage-c$CONCURRENCY-requests.log"
    new_data_dir outage-c$CONCURRENCY
    gen_ndjson "$N_OUTAGE" "$DATA/inbox/records.ndjson"
    ferry_run ferry-outage-c$CONCURRENCY 600 FERRY_TARGET_URL="$STUB_URL"
    wait "$FERRY_C1" || true
    cp "$(ls "$DATA_C1"/reports/*.json | tail -1)" "$OUT/ferry-outage-c1.report.json"
    L4="$L4 / $(load)"
    sleep 0.2 # the last sample of the request logs
    stop_pid "$STUB_PID"
    stop_pid "$STUB_C1"
    outage_analyse outage-c$CONCURRENCY $CONCURRENCY "$L4" 4a 4b " (default)"
    outage_analyse outage-c1 1 "$L4" 4c 4d " (serial, README: 18)"
fi

# ---------------------------------------------------------------- 5. start-to-exit on an empty inbox
if wanted 5 || wanted 6; then previous_jvm; fi
if wanted 5; then
    echo "[5] start: ferry run on an empty inbox (ferry's JVM, the previous image's) vs java -version," \
        "hyperfine $HF_RUNS runs (load $(load))"
    new_data_dir start
    L5=$(load)
    FERRY_DATA_DIR=$DATA FERRY_TARGET_URL=http://127.0.0.1:9 run_bounded 900 "$OUT/hyperfine.log" \
        hyperfine -N --warmup 2 --runs "$HF_RUNS" --export-json "$OUT/hyperfine.json" \
        "$FERRY_JVM -jar $JAR run" "$PREVIOUS_JVM -jar $PREVIOUS_JAR run" "java -version"
    L5="$L5 / $(load)"
    read -r f_mean f_sd f_cpu < <(jq -r '.results[0] | "\(.mean * 1000) \(.stddev * 1000) \((.user + .system) * 1000)"' "$OUT/hyperfine.json")
    read -r p_mean p_sd p_cpu < <(jq -r '.results[1] | "\(.mean * 1000) \(.stddev * 1000) \((.user + .system) * 1000)"' "$OUT/hyperfine.json")
    read -r j_mean j_sd j_cpu < <(jq -r '.results[2] | "\(.mean * 1000) \(.stddev * 1000) \((.user + .system) * 1000)"' "$OUT/hyperfine.json")
    echo "    ferry run: $(calc "$f_mean" 0) ± $(calc "$f_sd" 0) ms (CPU $(calc "$f_cpu" 0) ms);" \
        "the previous image's JVM: $(calc "$p_mean" 0) ± $(calc "$p_sd" 0) ms (CPU $(calc "$p_cpu" 0) ms);" \
        "java -version: $(calc "$j_mean" 0) ± $(calc "$j_sd" 0) ms (CPU $(calc "$j_cpu" 0) ms)"
    row "5a start-to-exit, empty inbox (hyperfine, $HF_RUNS runs)" "$(calc "$f_mean" 0) ± $(calc "$f_sd" 0) ms, CPU $(calc "$f_cpu" 0) ms" \
        "$(calc "$j_mean" 0) ± $(calc "$j_sd" 0) ms (java -version)" "$(calc "$f_mean / $j_mean" 1)" "— (recorded)" "-" "$L5"
    row "5b start-to-exit, empty inbox, the previous image's JVM" "$(calc "$p_mean" 0) ± $(calc "$p_sd" 0) ms, CPU $(calc "$p_cpu" 0) ms" \
        "$(calc "$j_mean" 0) ± $(calc "$j_sd" 0) ms (java -version)" "$(calc "$p_mean / $j_mean" 1)" "— (recorded)" "-" "$L5"
fi

# ---------------------------------------------------------------- 6. a short run, whole process
if wanted 6; then
    echo "[6] short run: $N_SHORT records, stub latency $SHORT_MS ms, concurrency $SHORT_CONCURRENCY, process start to" \
        "exit, $SHORT_RUNS runs with ferry's JVM and with the previous image's, in turn (load $(load))"
    STUB_LOG=$OUT/stub-short-requests.log
    start_stub stub-short --latency-ms "$SHORT_MS" --log "$STUB_LOG"
    L6=$(load)
    # the API's own ceiling: wrk at the same concurrency, after a warm-up
    run_bounded 60 "$OUT/wrk-short-warmup.log" wrk -t2 -c$SHORT_CONCURRENCY -d5s -s bench/put.lua "$STUB_URL" -- warm
    curl -sf -X POST "$STUB_URL/_reset" >/dev/null
    CONCURRENCY=$SHORT_CONCURRENCY measure_wrk wrk-short short
    short_ceiling=$WRK_RPS
    gen_ndjson "$N_SHORT" "$OUT/short.ndjson"
    for i in $(seq "$SHORT_RUNS"); do
        measured_run "ferry-short-$i" "$OUT/short.ndjson" "$SHORT_CONCURRENCY" "${FERRY[@]}"
        echo -e "ferry\t$RUN_CPU\t$RUN_WALL\t$RUN_RSS\t$RUN_FIRST" >>"$OUT/short.tsv"
        echo "    ferry #$i: wall $RUN_WALL s ($(calc "$N_SHORT / $RUN_WALL" 0) records/s), CPU $RUN_CPU s, peak RSS" \
            "$RUN_RSS MiB, first request after $RUN_FIRST s, run (report) $RUN_SECONDS s"
        measured_run "previous-short-$i" "$OUT/short.ndjson" "$SHORT_CONCURRENCY" $PREVIOUS_JVM -jar "$PREVIOUS_JAR"
        echo -e "previous\t$RUN_CPU\t$RUN_WALL\t$RUN_RSS\t$RUN_FIRST" >>"$OUT/short.tsv"
        echo "    previous image's JVM #$i: wall $RUN_WALL s, CPU $RUN_CPU s, peak RSS $RUN_RSS MiB, first request" \
            "after $RUN_FIRST s, run (report) $RUN_SECONDS s"
    done
    STUB_LOG=""
    L6="$L6 / $(load)"
    stop_pid "$STUB_PID"
    short_median() { awk -F'\t' -v w="$1" -v c="$2" '$1 == w { print $c }' "$OUT/short.tsv" | median; }
    wall=$(short_median ferry 3); cpu=$(short_median ferry 2); previous_cpu=$(short_median previous 2)
    echo "    medians: ferry wall $wall s, CPU $cpu s, first request after $(short_median ferry 5) s;" \
        "the previous image's JVM: wall $(short_median previous 3) s, CPU $previous_cpu s, first request after" \
        "$(short_median previous 5) s"
    ratio=$(calc "$N_SHORT / $wall / $short_ceiling")
    row "6a short run, whole process ($N_SHORT rec, $SHORT_MS ms stub, c=$SHORT_CONCURRENCY, median of $SHORT_RUNS)" \
        "$(calc "$N_SHORT / $wall" 0) rec/s ($wall s)" "$short_ceiling req/s (wrk -t2 -c$SHORT_CONCURRENCY)" "$ratio" "≥ 0.9" \
        "$(met "$ratio >= 0.9")" "$L6"
    ratio=$(calc "$cpu / $previous_cpu")
    row "6b short run, CPU seconds (user + system, whole process, median of $SHORT_RUNS)" "$cpu s" \
        "$previous_cpu s (the previous image's JVM)" "$ratio" "≤ 0.5" "$(met "$ratio <= 0.5")" "$L6"
fi

# ---------------------------------------------------------------- 7. shaping: a typical mapping vs none, end to end
gen_csv() { # gen_csv N FILE: N rows of id,qty,price,active,created,name (ShapingBench's columns), distinct ids
    awk -v n="$1" 'BEGIN { print "id,qty,price,active,created,name"; for (i = 1; i <= n; i++)
        printf "%d,%d,%d.%02d,%s,2024-%02d-%02dT%02d:%02d:00Z,customer %d\n", 100000 + i, i % 50 + 1, i % 1000,
            i % 100, (i % 3 ? "true" : "false"), i % 12 + 1, i % 28 + 1, i % 24, i % 60, i }' >"$2"
}
median_of() { printf '%s\n' "$@" | median; } # median_of NUMBERS...
if wanted 7; then
    echo "[7] shaping: a $N_SHAPING-row CSV, no shaping vs 5 typed fields + 2 renames + a JSLT nesting; 3 runs each," \
        "interleaved, medians; CPU per record = (run CPU - an empty run's CPU) / records (load $(load))"
    start_stub stub-shaping
    SHAPING_CSV=$OUT/shaping.csv
    gen_csv "$N_SHAPING" "$SHAPING_CSV"
    NESTING=$OUT/nesting.jslt
    echo '{"id": .id, "price": {"amount": .price, "currency": "EUR"}, * : .}' >"$NESTING"
    TYPICAL=(FERRY_RECORD_TYPES_ID=integer FERRY_RECORD_TYPES_QTY=integer FERRY_RECORD_TYPES_PRICE=decimal
        FERRY_RECORD_TYPES_ACTIVE=boolean FERRY_RECORD_TYPES_CREATED=datetime FERRY_RECORD_RENAME_QTY=quantity
        FERRY_RECORD_RENAME_CREATED=created_at FERRY_RECORD_TRANSFORM="$NESTING")
    # the stub's JIT warms up on a run that does not count
    new_data_dir shaping-warmup
    head -$((N_SHAPING / 5 + 1)) "$SHAPING_CSV" >"$DATA/inbox/records.csv"
    ferry_run ferry-shaping-warmup 600 FERRY_TARGET_URL="$STUB_URL"
    curl -sf -X POST "$STUB_URL/_reset" >/dev/null
    L7=$(load)
    empties=(); declare -A S_CPU S_RPS
    for i in 1 2 3; do
        new_data_dir shaping-empty-$i
        ferry_run ferry-shaping-empty-$i 120 FERRY_TARGET_URL="$STUB_URL" "${TYPICAL[@]}"
        empties+=("$(ferry_cpu)")
        for variant in none typical; do
            new_data_dir shaping-$variant-$i
            cp "$SHAPING_CSV" "$DATA/inbox/records.csv"
            if [ "$variant" = typical ]; then
                ferry_run ferry-shaping-$variant-$i 900 FERRY_TARGET_URL="$STUB_URL" "${TYPICAL[@]}"
            else
                ferry_run ferry-shaping-$variant-$i 900 FERRY_TARGET_URL="$STUB_URL"
            fi
            curl -sf -X POST "$STUB_URL/_reset" >/dev/null
            delivered=$(jq .records.delivered "$REPORT"); duration=$(jq .durationSeconds "$REPORT")
            [ "$delivered" = "$N_SHAPING" ] || echo "    WARNING: $variant #$i delivered $delivered of $N_SHAPING (exit $RC)"
            S_CPU[$variant]="${S_CPU[$variant]:-} $(ferry_cpu)"
            S_RPS[$variant]="${S_RPS[$variant]:-} $(calc "$delivered / $duration" 0)"
            echo "    $variant #$i: $delivered records in $duration s = $(calc "$delivered / $duration" 0)/s, CPU $(ferry_cpu) s" \
                "(load $(load))"
        done
    done
    L7="$L7 / $(load)"
    stop_pid "$STUB_PID"
    empty_cpu=$(median_of "${empties[@]}")
    for variant in none typical; do
        cpu=$(median_of ${S_CPU[$variant]}); rps=$(median_of ${S_RPS[$variant]})
        declare "${variant}_us=$(calc "($cpu - $empty_cpu) / $N_SHAPING * 1e6" 0)" "${variant}_rps=$rps"
        echo "    $variant: median CPU $cpu s (runs:${S_CPU[$variant]}), less an empty run's $empty_cpu s (median of" \
            "${empties[*]}) = $(calc "($cpu - $empty_cpu) / $N_SHAPING * 1e6" 0) µs/record; median $rps records/s (runs:${S_RPS[$variant]})"
    done
    ratio=$(calc "$typical_us / $none_us")
    echo "    shaping's share of a shaped record's CPU: $(calc "($typical_us - $none_us) / $typical_us * 100" 0)%"
    row "7a shaping: CPU per record, typical mapping vs none ($N_SHAPING-row CSV, median of 3)" "$typical_us µs/rec" \
        "$none_us µs/rec (no shaping)" "$ratio" "≤ 1.2" "$(met "$ratio <= 1.2")" "$L7"
    row "7b shaping: records/s, typical mapping vs none (median of 3)" "$typical_rps rec/s" "$none_rps rec/s" \
        "$(calc "$typical_rps / $none_rps")" "— (recorded)" "-" "$L7"
fi

# ---------------------------------------------------------------- the table
echo
echo "ferry benchmarks $STAMP ($([ "$QUICK" = 1 ] && echo quick || echo full)):" \
    "$([ -n "${BENCH_FERRY_JVM:-}" ] && echo "BENCH_FERRY_JVM='$BENCH_FERRY_JVM' ")bench/run.sh $([ "$QUICK" = 1 ] && echo --quick)$([ "$ONLY" != 1,2,3,4,5,6,7 ] && echo " --only $ONLY")$([ ${#FERRY_GIVEN[@]} -gt 0 ] && echo " -- ${FERRY_GIVEN[*]//$ROOT\//}")"
echo "ferry: ${FERRY[*]//$ROOT\//}"
echo "machine: $MACHINE"
echo "load average at end: $(load)"
echo
echo "| benchmark | ferry | baseline | ratio | target | met? | load (1/5/15 min, start / end) |"
echo "|---|---|---|---|---|---|---|"
printf '%s\n' "${ROWS[@]}"
printf '%s\n' "${ROWS[@]}" >"$OUT/table.md"
