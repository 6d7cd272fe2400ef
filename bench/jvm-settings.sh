#!/usr/bin/env bash
# Which JVM settings make a short run cheap (issue 18, BENCHMARKS.md "JVM settings"): whole `ferry run` processes,
# start to exit, under GNU time, with each of these JVMs, taken in turn round after round (so that the machine's
# other load falls on all of them alike):
#
#   previous     the JVM image before: JDK 17, fast-jar, AppCDS archive of one empty run, tiered, G1 -Xmn24m
#   17-cds-c1    JDK 17, aot-jar, AppCDS archive of a `ferry demo`, C1 only (-XX:TieredStopAtLevel=1), G1 -Xmn24m
#   17-cds-c1-serial  the same, Serial GC -Xmn24m
#   25-aot       JDK 25, aot-jar, AOT cache of a `ferry demo` (as Dockerfile.jvm makes it), tiered, G1 -Xmn24m
#   25-aot-c1    the same, C1 only
#   25-aot-c1-serial  the same, Serial GC -Xmn24m
#
# All with -Xmx256m. Two workloads: a short run, 3,200 records against a stub answering after 50 ms, concurrency 16
# (the issue's); a long one, 100,000 records against a stub without latency, concurrency 8. Printed per JVM: the
# medians of CPU seconds (user + system, the whole process), wall seconds, peak RSS, and for the short run the time
# from the process's start to the API's first request (the stub's request log, 10 ms resolution).
#
#   bench/jvm-settings.sh [--runs N] [--only short|long]     (default 3 runs; 30 to 40 minutes on 2 busy cores)
#
# Needs JDK 17 as `java`, a JDK 25 (BENCH_JDK25, default /usr/lib/jvm/temurin-25-jdk-amd64), jq, GNU time, curl.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
RUNS=3
ONLY="short,long"
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) RUNS=$2; shift ;;
        --only) ONLY=$2; shift ;;
        -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
        *) echo "unknown argument $1 (try --help)" >&2; exit 2 ;;
    esac
    shift
done
bench_init jvm-settings
build_if_stale
image_jvm
previous_jvm
JDK25=${BENCH_JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
APP=$ROOT/target/quarkus-app
LOGMANAGER=-Djava.util.logging.manager=org.jboss.logmanager.LogManager

# JDK 17's archive of the aot-jar, trained like the AOT cache (a demo), so that the two mechanisms compare alike
CDS=$OUT/aot-jar-cds.jsa
mkdir -p "$OUT/aot-tmp"
JAVA_TOOL_OPTIONS=-Djava.io.tmpdir=$OUT/aot-tmp run_bounded 600 "$OUT/cds-demo.log" \
    java -XX:ArchiveClassesAtExit="$CDS" -Xlog:cds=error -jar "$JAR" demo --records 300 || true
[ -f "$CDS" ] || { tail -20 "$OUT/cds-demo.log" >&2; exit 1; }

NAMES=(previous 17-cds-c1 17-cds-c1-serial 25-aot 25-aot-c1 25-aot-c1-serial)
declare -A JVM=(
    [previous]="$PREVIOUS_JVM $LOGMANAGER -jar $PREVIOUS_JAR"
    [17-cds-c1]="java -Xmx256m -XX:+UseG1GC -Xmn24m -XX:TieredStopAtLevel=1 -XX:SharedArchiveFile=$CDS $LOGMANAGER -jar $JAR"
    [17-cds-c1-serial]="java -Xmx256m -XX:+UseSerialGC -Xmn24m -XX:TieredStopAtLevel=1 -XX:SharedArchiveFile=$CDS $LOGMANAGER -jar $JAR"
    [25-aot]="$JDK25/bin/java -Xmx256m -XX:+UseG1GC -Xmn24m -XX:AOTCache=$APP/app.aot $LOGMANAGER -jar $JAR"
    [25-aot-c1]="$JDK25/bin/java -Xmx256m -XX:+UseG1GC -Xmn24m -XX:TieredStopAtLevel=1 -XX:AOTCache=$APP/app.aot $LOGMANAGER -jar $JAR"
    [25-aot-c1-serial]="$JDK25/bin/java -Xmx256m -XX:+UseSerialGC -Xmn24m -XX:TieredStopAtLevel=1 -XX:AOTCache=$APP/app.aot $LOGMANAGER -jar $JAR"
)

echo "JVM settings $STAMP: $RUNS runs each; logs in $OUT"
echo "machine: $(machine)"
echo "JDK 17: $(java -version 2>&1 | sed -n 2p); JDK 25: $("$JDK25/bin/java" -version 2>&1 | sed -n 2p)"
echo "the JVM image's JVM (Dockerfile.jvm): $IMAGE_JVM -jar …"
for name in "${NAMES[@]}"; do echo "  $name: ${JVM[$name]//$ROOT\//}"; done
echo "load average at start: $(load)"

one_run() { # one_run WORKLOAD NAME ROUND CONCURRENCY: one whole `ferry run`; appends a result line to $OUT/WORKLOAD.tsv
    local workload=$1 name=$2 round=$3
    measured_run "$workload-$name-$round" "$OUT/$workload.ndjson" "$4" ${JVM[$name]}
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$RUN_CPU" "$RUN_WALL" "$RUN_RSS" "$RUN_FIRST" "$RUN_SECONDS" >>"$OUT/$workload.tsv"
    printf '    %s #%s %-17s CPU %6.2f s  wall %6.2f s  peak RSS %4d MiB  first request %s s  run (report) %s s\n' \
        "$workload" "$round" "$name" "$RUN_CPU" "$RUN_WALL" "$RUN_RSS" "$RUN_FIRST" "$RUN_SECONDS"
}

workload() { # workload NAME RECORDS LATENCY_MS CONCURRENCY: every JVM, round after round, against one stub
    local name=$1 records=$2 latency=$3 concurrency=$4 round jvm
    echo "[$name] $records records, stub latency $latency ms, concurrency $concurrency (load $(load))"
    gen_ndjson "$records" "$OUT/$name.ndjson"
    STUB_LOG=""
    if [ "$name" = short ]; then STUB_LOG=$OUT/stub-$name-requests.log; fi
    STUB_HEAP=-Xmx1g start_stub "stub-$name" --latency-ms "$latency" ${STUB_LOG:+--log "$STUB_LOG"}
    for round in $(seq "$RUNS"); do
        for jvm in "${NAMES[@]}"; do one_run "$name" "$jvm" "$round" "$concurrency"; done
    done
    stop_pid "$STUB_PID"
    rm -f "$OUT/$name.ndjson"
    echo "    load average at the end: $(load)"
}
case ",$ONLY," in *,short,*) workload short 3200 50 16 ;; esac
case ",$ONLY," in *,long,*) workload long 100000 0 8 ;; esac

summary() { # summary WORKLOAD: medians per JVM, and the ratio of CPU seconds to the previous image's
    local w=$1 name base
    [ -f "$OUT/$w.tsv" ] || return 0
    base=$(awk -F'\t' '$1 == "previous" { print $2 }' "$OUT/$w.tsv" | median)
    echo
    echo "$w: medians of $RUNS runs"
    echo "| JVM | CPU s | vs previous | wall s | peak RSS MiB | first request s | CPU s, min to max |"
    echo "|---|---|---|---|---|---|---|"
    for name in "${NAMES[@]}"; do
        local cpu
        cpu=$(awk -F'\t' -v n="$name" '$1 == n { print $2 }' "$OUT/$w.tsv" | median)
        printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$name" "$cpu" "$(calc "$cpu / $base")" \
            "$(awk -F'\t' -v n="$name" '$1 == n { print $3 }' "$OUT/$w.tsv" | median)" \
            "$(awk -F'\t' -v n="$name" '$1 == n { print $4 }' "$OUT/$w.tsv" | median)" \
            "$(awk -F'\t' -v n="$name" '$1 == n && $5 != "-" { print $5 }' "$OUT/$w.tsv" | median)" \
            "$(awk -F'\t' -v n="$name" '$1 == n { print $2 }' "$OUT/$w.tsv" | sort -g | sed -n '1p;$p' | paste -sd' ' | sed 's/ / to /')"
    done
}
summary short
summary long
echo
echo "load average at the end: $(load)"
