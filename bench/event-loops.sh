#!/usr/bin/env bash
# How many Vert.x event loops a run should have (BENCHMARKS.md, "One event loop"): whole `ferry run` processes,
# start to exit, under GNU time, on the JVM image's JVM with quarkus.vertx.event-loops-pool-size=1 (ferry's
# default) and =4 (Quarkus' default on 2 cores: two a core), in pairs (1, 4, 1, 4, …) so that the machine's other
# load falls on both alike. Two workloads: the short run of benchmark 6 (3,200 records, stub answering after 50 ms,
# concurrency 16) and a zero-latency run (50,000 records, concurrency 8). Printed per pair: CPU seconds and wall
# seconds of each, and their ratios (1 / 4); then the medians of the ratios.
#
#   bench/event-loops.sh [--runs N]     (default 5 pairs a workload; about 8 minutes)
#
# Needs what bench/run.sh needs.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
RUNS=5
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) RUNS=$2; shift ;;
        -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
        *) echo "unknown argument $1 (try --help)" >&2; exit 2 ;;
    esac
    shift
done
bench_init event-loops
build_if_stale
image_jvm
echo "event loops $STAMP: $RUNS pairs a workload; ferry: $IMAGE_JVM -Dquarkus.vertx.event-loops-pool-size=1|4 -jar …"
echo "machine: $(machine)"

workload() { # workload NAME RECORDS LATENCY_MS CONCURRENCY
    local name=$1 records=$2 latency=$3 concurrency=$4 round cpu1 wall1
    echo "[$name] $records records, stub latency $latency ms, concurrency $concurrency (load $(load))"
    gen_ndjson "$records" "$OUT/$name.ndjson"
    STUB_LOG=""
    start_stub "stub-$name" --latency-ms "$latency"
    : >"$OUT/$name.tsv"
    for round in $(seq "$RUNS"); do
        measured_run "$name-1-$round" "$OUT/$name.ndjson" "$concurrency" $IMAGE_JVM \
            -Dquarkus.vertx.event-loops-pool-size=1 -jar "$JAR"
        cpu1=$RUN_CPU wall1=$RUN_WALL
        measured_run "$name-4-$round" "$OUT/$name.ndjson" "$concurrency" $IMAGE_JVM \
            -Dquarkus.vertx.event-loops-pool-size=4 -jar "$JAR"
        printf '%s\t%s\t%s\t%s\n' "$(calc "$cpu1 / $RUN_CPU" 3)" "$(calc "$wall1 / $RUN_WALL" 3)" "$cpu1" "$RUN_CPU" \
            >>"$OUT/$name.tsv"
        printf '    #%s  1 loop: CPU %6.2f s, wall %6.2f s   4 loops: CPU %6.2f s, wall %6.2f s   ratio CPU %s, wall %s\n' \
            "$round" "$cpu1" "$wall1" "$RUN_CPU" "$RUN_WALL" "$(calc "$cpu1 / $RUN_CPU")" "$(calc "$wall1 / $RUN_WALL")"
    done
    stop_pid "$STUB_PID"
    echo "  => $name: 1 loop / 4 loops, median of $RUNS pairs: CPU $(cut -f1 "$OUT/$name.tsv" | median)" \
        "(from $(cut -f1 "$OUT/$name.tsv" | sort -g | sed -n '1p;$p' | paste -sd' ' | sed 's/ / to /')), wall" \
        "$(cut -f2 "$OUT/$name.tsv" | median) (load $(load))"
}
workload short 3200 50 16
workload zero-latency 50000 0 8
