#!/usr/bin/env bash
# The delivered index's store, chosen by measurement (BENCHMARKS.md, "Delivered index").
#
#   bench/index.sh [KEYS] [CANDIDATES]
#
# KEYS (default 10000000) keys like cust-0001234567 with a record of about 120 bytes of JSON; CANDIDATES
# (default "none index mvstore-default log+mmap", see src/test/java/dev/ferry/bench/IndexBench.java). Each candidate runs
# in its own JVM with the heap of the chart's JVM image (-Xmx160m -Xmn24m -XX:+UseG1GC) and a fresh folder:
# insert every key once (shuffled order, a commit every 200 ms of work, as a run commits before each
# checkpoint), 1M random gets, a second pass over every key (shuffled) that finds 99 % unchanged and updates
# 1 %, a reopen. Prints a table: wall seconds and the process's CPU seconds of the two passes (the CPU is what
# to compare on a loaded machine), gets/s, peak RSS (VmHWM at the end), heap in use, files on disk.
# BENCH_OPTS adds JVM options after those (a later -Xmx/-Xmn wins; a collector named there replaces G1), and
# BENCH_JAVA is the java to run (default $JAVA_HOME/bin/java). As the JVM image runs it at the chart's 256Mi limit
# (its run-java.sh gives the heap JAVA_MAX_MEM_RATIO = 50 % of the limit):
#   BENCH_JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java BENCH_OPTS='-Xmx128m -XX:MaxRAM=256m -XX:TieredStopAtLevel=1' bench/index.sh 10000000 index
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
KEYS=${1:-10000000}
CANDIDATES=${2:-none index mvstore-default log+mmap}
OUT=$ROOT/target/bench/index-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$OUT"
exec > >(tee -a "$OUT/output.txt") 2>&1
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}
CPFILE=$ROOT/target/index-bench.cp
./mvnw -q -B test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$CPFILE" >/dev/null
CP="$ROOT/target/test-classes:$ROOT/target/classes:$(cat "$CPFILE")"
JAVA=${BENCH_JAVA:-$JAVA_HOME/bin/java}
JVM_OPTS="-Xmx160m -Xmn24m -XX:+UseG1GC ${BENCH_OPTS:-}"
if [[ "${BENCH_OPTS:-}" =~ -XX:\+Use[A-Za-z]+GC ]]; then JVM_OPTS=${JVM_OPTS/-XX:+UseG1GC /}; fi
trap 'rm -rf "$OUT"/data-*' EXIT

echo "index: $KEYS keys; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $("$JAVA" -version 2>&1 | head -1); $JVM_OPTS"
printf '%-16s %9s %8s %8s %9s %8s %9s %8s %8s %8s %9s %8s %8s %9s\n' candidate keys insert_s cpu_s insert/s \
    commits gets/s pass2_s cpu_s updated reopen_ms rss_MiB heap_MiB disk_MiB
for candidate in $CANDIDATES; do
    data=$OUT/data-${candidate//+/-}
    "$JAVA" $JVM_OPTS -cp "$CP" dev.ferry.bench.IndexBench \
        "$candidate" "$KEYS" "$data" >"$OUT/$candidate.log" 2>&1 || { echo "$candidate failed:"; tail -5 "$OUT/$candidate.log"; continue; }
    grep '^result' "$OUT/$candidate.log" | cut -f2- | while IFS=$'\t' read -r name keys insert icpu rate commits gets \
            pass2 pcpu updated reopen rss heap disk; do
        printf '%-16s %9s %8s %8s %9s %8s %9s %8s %8s %8s %9s %8s %8s %9s\n' "$name" "$keys" "$insert" "$icpu" "$rate" \
            "$commits" "$gets" "$pass2" "$pcpu" "$updated" "$reopen" "$rss" "$heap" "$disk"
    done
    grep '^progress' "$OUT/$candidate.log" | awk -F'\t' '{ printf "  after %d keys: %s s, %s cpu s, rss %s MiB, disk %s MiB\n", $2, $3, $4, $5, $6 }'
    rm -rf "$data"
done
echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "output: $OUT"
