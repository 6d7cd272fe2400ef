#!/usr/bin/env bash
# What a short CronJob run costs, whole process (issue 18): ferry started, run and ended, under GNU time,
#   empty    an empty inbox (start-up and exit: nothing is sent)
#   short    3,200 records against a loopback stub answering after 50 ms, concurrency 16
# RUNS times each (default 3). Prints every run and the medians: wall seconds, CPU seconds (user + system), peak RSS,
# and for the short run the time from the start to the API's first request (the stub's request log, 10 ms
# resolution). The medians also go to summary.json in the output folder.
#
#   bench/short-run.sh [--runs N] [-- FERRY-COMMAND...]
#
# FERRY-COMMAND (`run` is added) defaults to ferry as the JVM image runs it (JDK 25, its AOT cache: bench/lib.sh);
# the hosted native workflow gives the executable: bench/short-run.sh -- ./target/ferry-0.1.0-SNAPSHOT-runner.
# The stub runs on `java` (JDK 17) from the test classes; BENCH_STUB_CP sets its class path where the build made no
# jar. Needs jq, curl, GNU time.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
RUNS=3
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) RUNS=$2; shift ;;
        --) shift; break ;;
        -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
        *) echo "unknown argument $1 (try --help)" >&2; exit 2 ;;
    esac
    shift
done
bench_init short-run
if [ $# -eq 0 ]; then
    build_if_stale
    image_jvm
    set -- $IMAGE_JVM -jar "$JAR"
fi
RECORDS=3200
echo "short runs $STAMP: $RUNS each; logs in $OUT"
echo "machine: $(machine)"
echo "ferry: $*"
echo "load average at start: $(load)"
STUB_LOG=$OUT/stub-requests.log
STUB_HEAP=-Xmx1g start_stub stub --latency-ms 50 --log "$STUB_LOG"
: >"$OUT/empty.ndjson"
gen_ndjson "$RECORDS" "$OUT/short.ndjson"
for i in $(seq "$RUNS"); do
    measured_run "empty-$i" "$OUT/empty.ndjson" 16 "$@"
    echo -e "empty\t$RUN_CPU\t$RUN_WALL\t$RUN_RSS\t-" >>"$OUT/runs.tsv"
    echo "    empty #$i: CPU $RUN_CPU s, wall $RUN_WALL s, peak RSS $RUN_RSS MiB"
    measured_run "short-$i" "$OUT/short.ndjson" 16 "$@"
    echo -e "short\t$RUN_CPU\t$RUN_WALL\t$RUN_RSS\t$RUN_FIRST" >>"$OUT/runs.tsv"
    echo "    short #$i: CPU $RUN_CPU s, wall $RUN_WALL s, peak RSS $RUN_RSS MiB, first request after $RUN_FIRST s," \
        "run (report) $RUN_SECONDS s"
done
column_median() { awk -F'\t' -v w="$1" -v c="$2" '$1 == w && $c != "-" { print $c }' "$OUT/runs.tsv" | median; }
jq -n --arg command "$*" --arg machine "$(machine)" --arg load "$(load)" --argjson runs "$RUNS" \
    --argjson emptyCpu "$(column_median empty 2)" --argjson emptyWall "$(column_median empty 3)" \
    --argjson emptyRss "$(column_median empty 4)" --argjson cpu "$(column_median short 2)" \
    --argjson wall "$(column_median short 3)" --argjson rss "$(column_median short 4)" \
    --argjson first "$(column_median short 5)" \
    '{command: $command, machine: $machine, loadAtEnd: $load, runs: $runs,
      emptyRun: {cpuSeconds: $emptyCpu, wallSeconds: $emptyWall, peakRssMiB: $emptyRss},
      shortRun: {records: 3200, stubLatencyMs: 50, concurrency: 16, cpuSeconds: $cpu, wallSeconds: $wall,
                 peakRssMiB: $rss, firstRequestSeconds: $first}}' >"$OUT/summary.json"
echo "medians of $RUNS:"
echo "| run | CPU s | wall s | peak RSS MiB | first request s |"
echo "|---|---|---|---|---|"
echo "| empty inbox | $(column_median empty 2) | $(column_median empty 3) | $(column_median empty 4) | - |"
echo "| 3,200 records, 50 ms, c=16 | $(column_median short 2) | $(column_median short 3) | $(column_median short 4) | $(column_median short 5) |"
echo "load average at the end: $(load); summary: $OUT/summary.json"
