#!/usr/bin/env bash
# What reading costs per record (BENCHMARKS.md, "Readers"): the CSV and NDJSON readers over a generated file of
# typical records (200000 by default), CPU time and bytes allocated on the reading thread per record, the best of
# the later rounds of 7. No server, no network; about 30 s.
#
#   bench/readers.sh [RECORDS]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
CP="$ROOT/target/test-classes:$ROOT/target/quarkus-app/lib/main/*:$ROOT/target/quarkus-app/app/*"
[ -f "$ROOT/target/quarkus-app/quarkus-run.jar" ] && [ -f "$ROOT/target/test-classes/dev/ferry/bench/ReaderBench.class" ] \
    || { echo "build first: ./mvnw -B -q package -DskipTests" >&2; exit 2; }
OUT=$ROOT/target/bench/readers-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$OUT"
trap 'rm -f "$OUT"/records.*' EXIT
echo "java $(java -version 2>&1 | head -1); nproc $(nproc); load $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$OUT/output.txt"
timeout 600 java -Xmx512m -cp "$CP" dev.ferry.bench.ReaderBench "${1:-200000}" 7 "$OUT" | tee -a "$OUT/output.txt"
