#!/usr/bin/env bash
# Scaling out (issue 17): records/s of N shard processes run at once on one data dir (as the pods of an Indexed Job)
# against a latency-bound API, for N = 1, 2, 4, each the median of several runs, and the ratio to one process.
# See BENCHMARKS.md, "Scaling out".
#
#   bench/shards.sh [--records N] [--latency-ms MS] [--concurrency C] [--repeats R] [--shards "1 2 4"] [--keep]
#
# Defaults: 2400 records (distinct keys) in one NDJSON file, a BenchStub answering after 200 ms, ferry's default
# concurrency 8 per process (so one process's ceiling is 8 / 0.2 s = 40 records/s, and 4 shards need no more CPU a
# second than one process at 50 ms: the API's latency, not the shared CPU, is the limit), 3 repeats. records/s is the
# file's records over the time from the first shard's start to the last shard's end, read from their reports (the
# JVMs' own start before that is shown apart as wall time). Each process runs as the JVM image runs ferry (bench/lib.sh:
# JDK 25 with its AOT cache, the heap the image gives at the chart's 256Mi limit); BENCH_FERRY_JVM replaces that java command and its options. Needs JDK 17 as
# `java` (the stub), a JDK 25 (BENCH_JDK25), jq, curl; builds like bench/run.sh.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

RECORDS=2400
LATENCY_MS=200
CONCURRENCY=8
REPEATS=3
SHARD_COUNTS="1 2 4"
KEEP=0
while [ $# -gt 0 ]; do
    case "$1" in
        --records) RECORDS="$2"; shift ;;
        --latency-ms) LATENCY_MS="$2"; shift ;;
        --concurrency) CONCURRENCY="$2"; shift ;;
        --repeats) REPEATS="$2"; shift ;;
        --shards) SHARD_COUNTS="$2"; shift ;;
        --keep) KEEP=1 ;;
        -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
        *) echo "unknown argument $1 (try --help)" >&2; exit 2 ;;
    esac
    shift
done
for tool in java jq curl awk date; do
    command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 2; }
done

bench_init shards
STUB_HEAP=-Xmx1g
build_if_stale
if [ -n "${BENCH_FERRY_JVM:-}" ]; then FERRY_JVM=$BENCH_FERRY_JVM; else image_jvm; FERRY_JVM=$IMAGE_JVM; fi
echo "ferry scaling out $STAMP: $RECORDS records, stub latency $LATENCY_MS ms, concurrency $CONCURRENCY per process," \
    "shards $SHARD_COUNTS, median of $REPEATS; logs in $OUT"
echo "machine: $(machine); $(java -version 2>&1 | sed -n 2p)"
echo "ferry's JVM: ${FERRY_JVM//$ROOT\//}"
echo "load average at start: $(load)"

epoch() { date -d "$1" +%s.%N; } # an ISO-8601 instant of a report, as seconds

run_shards() { # run_shards COUNT NAME: COUNT shard processes at once on a new data dir; sets RATE, WALL, SPAN
    local count=$1 name=$2 index pids=() rc=0 start end first="" last="" report s e delivered=0
    new_data_dir "$name"
    gen_ndjson "$RECORDS" "$DATA/inbox/records.ndjson"
    start=$(date +%s.%N)
    for index in $(seq 0 $((count - 1))); do
        timeout -k 10 900 env FERRY_DATA_DIR="$DATA" FERRY_INBOX_SETTLE=0s FERRY_TARGET_URL="$STUB_URL" \
            FERRY_DELIVERY_CONCURRENCY="$CONCURRENCY" FERRY_SHARD_COUNT="$count" FERRY_SHARD_INDEX="$index" \
            $FERRY_JVM -jar "$JAR" run >"$OUT/$name-$index.log" 2>&1 &
        pids+=("$!")
        PIDS+=("$!")
    done
    for index in "${!pids[@]}"; do
        wait "${pids[$index]}" || { rc=$?; echo "    shard $index of $count exited $rc: $(tail -3 "$OUT/$name-$index.log")"; }
    done
    end=$(date +%s.%N)
    [ "$rc" = 0 ] || exit 1
    for report in "$DATA"/reports/*.json; do
        s=$(epoch "$(jq -r .startedAt "$report")"); e=$(epoch "$(jq -r .endedAt "$report")")
        first=$(awk -v a="${first:-$s}" -v b="$s" 'BEGIN { print (b < a ? b : a) }')
        last=$(awk -v a="${last:-$e}" -v b="$e" 'BEGIN { print (b > a ? b : a) }')
        delivered=$((delivered + $(jq .records.delivered "$report")))
    done
    if [ "$delivered" != "$RECORDS" ] || [ ! -f "$DATA/done/records.ndjson" ]; then
        echo "    $name: delivered $delivered of $RECORDS, done/: $(ls "$DATA/done")" >&2; exit 1
    fi
    SPAN=$(calc "$last - $first")
    WALL=$(calc "$end - $start")
    RATE=$(calc "$RECORDS / $SPAN" 0)
    curl -sf -X POST "$STUB_URL/_reset" >/dev/null
    rm -rf "$DATA"
}

start_stub stub-shards --latency-ms "$LATENCY_MS"
ROWS=()
base=""
for count in $SHARD_COUNTS; do
    rates=""
    for repeat in $(seq "$REPEATS"); do
        run_shards "$count" "shards$count-$repeat"
        echo "  $count shard(s), run $repeat: $RECORDS records in $SPAN s from first start to last end = $RATE records/s" \
            "(wall with JVM start $WALL s; load $(load))"
        rates="$rates $RATE"
    done
    rate=$(tr ' ' '\n' <<<"$rates" | awk 'NF' | median)
    base=${base:-$rate}
    ceiling=$(calc "$count * $CONCURRENCY / ($LATENCY_MS / 1000)" 0)
    ROWS+=("$(printf '| %s | %s rec/s (runs:%s) | %s | %s rec/s | %s |' "$count" "$rate" "$rates" \
        "$(calc "$rate / $base")" "$ceiling" "$(calc "$rate / $ceiling")")")
done
stop_pid "$STUB_PID"

echo
echo "| shards | records/s, median of $REPEATS | ratio to 1 shard | ceiling ($CONCURRENCY × shards / ${LATENCY_MS} ms) | of the ceiling |"
echo "|---|---|---|---|---|"
printf '%s\n' "${ROWS[@]}"
echo "load average at end: $(load)"
