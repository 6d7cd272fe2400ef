#!/usr/bin/env bash
# Where ferry's time goes (the diagnostics behind BENCHMARKS.md gaps 1 and 2).
#
#   bench/profile.sh [PATTERN]
#
# 1. A JFR profile (settings=profile) of the steady state: 300 000 records at concurrency 8 against a warm
#    loopback stub, recording from 25 s after start. Prints the execution samples per thread, how many
#    samples have a frame matching PATTERN (a regex; default: the Jackson message body writer's
#    annotation look-ups), and the most frequent top frames.
# 2. The first request of a run: 300 records against a stub answering after 100 ms, concurrency 32, with
#    the audit log on. Prints the latency of the first attempts and the first progress intervals.
# Needs JDK 17 (jfr), wrk, python3; build first (./mvnw -B -q package -DskipTests).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PATTERN=${1:-ClientJacksonMessageBodyWriter|sun\.reflect\.annotation}
OUT=$ROOT/target/bench/profile-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$OUT"
exec > >(tee -a "$OUT/output.txt") 2>&1
JAR=$ROOT/target/quarkus-app/quarkus-run.jar
CP="$ROOT/target/test-classes:$ROOT/target/quarkus-app/lib/main/*:$ROOT/target/quarkus-app/app/*"
[ -f "$JAR" ] && [ -f "$ROOT/target/test-classes/dev/ferry/bench/BenchStub.class" ] \
    || { echo "build first: ./mvnw -B -q package -DskipTests" >&2; exit 2; }
while read -r name; do unset "$name"; done < <(env | grep -oE '^(FERRY|QUARKUS)_[A-Za-z0-9_]*' || true)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$OUT"/data-*; }
trap cleanup EXIT

start_stub() { # start_stub NAME ARGS...: sets URL
    local name=$1
    shift
    java -Xmx3g -cp "$CP" dev.ferry.bench.BenchStub --port 0 "$@" >"$OUT/$name.out" 2>&1 &
    PIDS+=("$!")
    URL=""
    for _ in $(seq 300); do URL=$(sed -n 's/^listening on //p' "$OUT/$name.out"); [ -n "$URL" ] && return 0; sleep 0.1; done
    echo "stub $name did not start" >&2; exit 1
}
records() { # records N DIR: an inbox of N records
    mkdir -p "$2/inbox"
    awk -v n="$1" 'BEGIN { for (i = 1; i <= n; i++)
        printf "{\"id\":\"k%07d\",\"name\":\"customer %d\",\"email\":\"c%d@example.com\",\"amount\":\"%d.%02d\",\"currency\":\"EUR\",\"note\":\"benchmark record\"}\n",
            i, i, i, i % 10000, i % 100 }' >"$2/inbox/records.ndjson"
}

echo "[1] JFR profile of the steady state (load $(cut -d' ' -f1-3 /proc/loadavg))"
start_stub stub
timeout 60 wrk -t2 -c8 -d15s -s bench/put.lua "$URL" -- warm >/dev/null
curl -sf -X POST "$URL/_reset" >/dev/null
records 300000 "$OUT/data-profile"
timeout 600 env FERRY_DATA_DIR="$OUT/data-profile" FERRY_INBOX_SETTLE=0s FERRY_TARGET_URL="$URL" \
    java -Xmx256m -Xmn24m -XX:FlightRecorderOptions:stackdepth=256 \
    -XX:StartFlightRecording=delay=25s,settings=profile,filename="$OUT/steady.jfr" -jar "$JAR" run >"$OUT/ferry-profile.log" 2>&1
jfr print --events jdk.ExecutionSample --stack-depth 256 "$OUT/steady.jfr" >"$OUT/samples.txt"
python3 - "$OUT/samples.txt" "$PATTERN" <<'PY'
import collections, re, sys
events = open(sys.argv[1]).read().split('jdk.ExecutionSample {')[1:]
pattern = re.compile(sys.argv[2])
threads, top, matching = collections.Counter(), collections.Counter(), 0
for event in events:
    thread = re.search(r'sampledThread = "([^"]+)"', event)
    threads[re.sub(r'\d+', 'N', thread.group(1) if thread else '?')] += 1
    frames = re.findall(r'^\s+([\w.$<>]+)\(', event, re.M)
    if frames:
        top[frames[0]] += 1
    if any(pattern.search(frame) for frame in frames):
        matching += 1
print(f"    {len(events)} samples; by thread: " + ", ".join(f"{t} {n}" for t, n in threads.most_common(5)))
print(f"    samples with a frame matching /{sys.argv[2]}/: {matching} of {len(events)}")
print("    top frames: " + "; ".join(f"{f} {n}" for f, n in top.most_common(8)))
PY

echo "[2] the first requests of a run: 100 ms stub, concurrency 32, audit log"
start_stub stub-latency --latency-ms 100
records 300 "$OUT/data-first"
timeout 300 env FERRY_DATA_DIR="$OUT/data-first" FERRY_INBOX_SETTLE=0s FERRY_TARGET_URL="$URL" \
    FERRY_DELIVERY_CONCURRENCY=32 FERRY_LOG_AUDIT=true FERRY_LOG_PROGRESS_INTERVAL=500ms \
    java -Xmx256m -Xmn24m -jar "$JAR" run >"$OUT/ferry-first.log" 2>&1
echo "    latency of the first 5 attempts (ms): $(sed -n 's/.*attempt .*latencyMs=\([0-9]*\).*/\1/p' "$OUT/ferry-first.log" | head -5 | tr '\n' ' ')"
echo "    records/s per 0.5 s from the run's start: $(sed -n 's/.*progress: \([0-9.]*\) records\/s.*/\1/p' "$OUT/ferry-first.log" | head -6 | tr '\n' ' ')"
echo "logs: $OUT"
