#!/usr/bin/env bash
# The start-up experiment behind BENCHMARKS.md's proposals for benchmark 5: `ferry run` on an empty inbox with
# the default JVM, with C1 only, with a dynamic AppCDS archive, and with both, next to `java -version`.
#
#   bench/start-variants.sh [RUNS]     (default 10; needs the jar: ./mvnw -B -q package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-10}
JAR=$PWD/target/quarkus-app/quarkus-run.jar
[ -f "$JAR" ] || { echo "missing $JAR: ./mvnw -B -q package -DskipTests" >&2; exit 2; }
WORK=$(mktemp -d /tmp/ferry-start.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
while read -r name; do unset "$name"; done < <(env | grep -oE '^(FERRY|QUARKUS)_[A-Za-z0-9_]*' || true)
unset JAVA_TOOL_OPTIONS JDK_JAVA_OPTIONS _JAVA_OPTIONS || true
mkdir -p "$WORK/data/inbox"
export FERRY_DATA_DIR=$WORK/data FERRY_TARGET_URL=http://127.0.0.1:9
# a dynamic CDS archive of the classes one empty run loads (what quarkus.package.jar.appcds.enabled=true builds)
timeout 120 java -Xmx256m -XX:ArchiveClassesAtExit="$WORK/ferry.jsa" -jar "$JAR" run >"$WORK/archive.log" 2>&1
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
timeout 1200 hyperfine -N --warmup 2 --runs "$RUNS" --export-json "$WORK/start.json" \
    "java -Xmx256m -jar $JAR run" \
    "java -Xmx256m -XX:TieredStopAtLevel=1 -jar $JAR run" \
    "java -Xmx256m -XX:SharedArchiveFile=$WORK/ferry.jsa -jar $JAR run" \
    "java -Xmx256m -XX:TieredStopAtLevel=1 -XX:SharedArchiveFile=$WORK/ferry.jsa -jar $JAR run" \
    "java -Xmx256m -version" >"$WORK/hyperfine.log" 2>&1
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| variant | mean ± σ | CPU (user+sys) | vs java -version |"
echo "|---|---|---|---|"
jq -r --arg w "$WORK" --arg j "$JAR" '(.results[-1].mean) as $base | .results[] |
    "| \(.command | sub($w; "…") | sub($j; "quarkus-run.jar")) | \(.mean * 1000 | round) ± \(.stddev * 1000 | round) ms | \((.user + .system) * 1000 | round) ms | \(.mean / $base * 10 | round / 10) |"' \
    "$WORK/start.json"
