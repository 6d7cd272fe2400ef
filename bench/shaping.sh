#!/usr/bin/env bash
# What shaping (ferry.record.types / rename / transform) costs a record, at the library level (issue 20, item 6).
#
#   bench/shaping.sh [RECORDS] [ROUNDS]
#
# One thread shapes RECORDS CSV rows (default 500000) per round, ROUNDS times (default 3), with nothing configured,
# with 5 typed fields and 2 renames, and with those plus a JSLT nesting (dev.ferry.bench.ShapingBench). Prints
# ns, CPU ns and allocated bytes per record for each round and their median. Compare the difference with the CPU
# a record costs end to end (BENCHMARKS.md, bench/layers.sh): the budget for shaping is 20 % of it.
# Needs JDK 17 and the Maven wrapper (it compiles the test classes and resolves the class path).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-500000}
ROUNDS=${2:-3}
OUT=target/bench
mkdir -p "$OUT"
./mvnw -q -B test-compile dependency:build-classpath -Dmdep.outputFile="$OUT/shaping.classpath" -Dmdep.includeScope=test
java -Xmx256m -Xmn24m -cp "target/test-classes:target/classes:$(cat "$OUT/shaping.classpath")" \
    dev.ferry.bench.ShapingBench "$N" "$ROUNDS" | tee "$OUT/shaping-$(date -u +%Y%m%dT%H%M%SZ).txt"
