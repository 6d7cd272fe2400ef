#!/usr/bin/env bash
# Change detection and snapshots (BENCHMARKS.md, "Change detection and snapshots"): what a daily full export costs.
#
#   bench/snapshot.sh [ROWS] [--keep]
#
# ROWS (default 1000000) customers in customers-1.csv, delivered once by `ferry run` with
# ferry.snapshot.pattern=customers-*.csv; then customers-2.csv, the next day's export: 1 % of the rows changed
# (every 100th, from the 3rd) and 0.5 % removed (every 200th, from the 7th). The second run must send exactly the
# changes and the deletes: the stub's request count is checked against them. Prints both runs' duration, records/s,
# CPU and peak RSS (GNU time), and the second run's outcomes. The API is bench/BenchStub (src/test/java/dev/ferry/
# bench/BenchStub.java) on loopback; ferry runs as the JVM image runs it (bench/lib.sh: JDK 25 with its AOT cache,
# the heap the image gives at the chart's 256Mi limit); BENCH_FERRY_JVM replaces that java command and its options. Needs JDK 17 as `java`, a JDK 25
# (BENCH_JDK25), jq, curl, GNU time. Builds with ./mvnw when the jar or the stub is missing or older than the sources.
# Every process it starts is stopped on exit. Logs stay in target/bench/snapshot-<timestamp>/ (the data dir is
# deleted unless --keep).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

ROWS=1000000
KEEP=0
for arg in "$@"; do
    case "$arg" in
        --keep) KEEP=1 ;;
        -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
        [0-9]*) ROWS=$arg ;;
        *) echo "unknown argument $arg (try --help)" >&2; exit 2 ;;
    esac
done
STUB_HEAP=-Xmx3g
for tool in java jq curl /usr/bin/time awk timeout; do
    command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install -y jq time curl)" >&2; exit 2; }
done
bench_init snapshot
build_if_stale
if [ -n "${BENCH_FERRY_JVM:-}" ]; then FERRY_JVM=$BENCH_FERRY_JVM; else image_jvm; FERRY_JVM=$IMAGE_JVM; fi
DATA=$OUT/data-snapshot

gen_export() { # gen_export DAY FILE: the customers export of day 1, or of day 2 (1 % changed, 0.5 % removed)
    awk -v n="$ROWS" -v day="$1" 'BEGIN {
        print "id,name,email,amount,currency,note"
        for (i = 1; i <= n; i++) {
            if (day == 2 && i % 200 == 7) continue
            amount = (day == 2 && i % 100 == 3) ? i % 10000 + 1 : i % 10000
            printf "cust-%08d,customer %d,c%d@example.com,%d.%02d,EUR,daily export\n", i, i, i, amount, i % 100
        } }' >"$2"
}
expected_changes() { awk -v n="$ROWS" 'BEGIN { c = 0; for (i = 3; i <= n; i += 100) if (i % 200 != 7) c++; print c }'; }
expected_deletes() { awk -v n="$ROWS" 'BEGIN { c = 0; for (i = 7; i <= n; i += 200) c++; print c }'; }

ferry_run() { # ferry_run NAME: `ferry run` on $DATA under GNU time; sets RC, REPORT, TIME_FILE
    local name=$1
    TIME_FILE=$OUT/$name.time
    RC=0
    run_bounded 7200 "$OUT/$name.log" env FERRY_DATA_DIR="$DATA" FERRY_INBOX_SETTLE=0s FERRY_TARGET_URL="$STUB_URL" \
        FERRY_SNAPSHOT_PATTERN='customers-*.csv' FERRY_LOG_PROGRESS_INTERVAL=10s \
        /usr/bin/time -v -o "$TIME_FILE" $FERRY_JVM -jar "$JAR" run || RC=$?
    REPORT=$(ls "$DATA"/reports/*.json | grep -v '/verify-' | tail -1)
    cp "$REPORT" "$OUT/$name.report.json"
}
time_field() { time_value "$TIME_FILE" "$1"; }
summary() { # summary NAME: one line of what a run took
    local duration read rss cpu
    duration=$(jq .durationSeconds "$REPORT"); read=$(jq .records.read "$REPORT")
    rss=$(time_field 'Maximum resident set size (kbytes)')
    cpu=$(time_cpu "$TIME_FILE")
    echo "    $1: exit $RC, $read records read in $duration s ($(calc "$read / $duration" 0)/s), CPU $cpu s," \
        "peak RSS $((rss / 1024)) MiB; records $(jq -c .records "$REPORT"); requests $(jq -c .requests "$REPORT")"
}

echo "snapshot benchmark: $ROWS rows; load $(load); logs in $OUT"
echo "machine: $(machine)"
echo "ferry's JVM: ${FERRY_JVM//$ROOT\//}"
start_stub stub
mkdir -p "$DATA/inbox"

# day 1: every row is new. The stub forgets what it stored every 5 s, so that its heap stays small next to ferry's
# (a DELETE of a key it forgot is a 404, which ferry counts as deleted, as a real API's).
gen_export 1 "$DATA/inbox/customers-1.csv"
echo "[1] day 1: $(du -h "$DATA/inbox/customers-1.csv" | cut -f1) export (load $(load))"
timeout 7200 bash -c "while sleep 5; do curl -s -X POST '$STUB_URL/_reset' >/dev/null || true; done" &
RESETTER=$!
PIDS+=("$RESETTER")
L1=$(load)
ferry_run day-1
L1="$L1 / $(load)"
stop_pid "$RESETTER"
summary day-1
first_duration=$(jq .durationSeconds "$REPORT"); first_rss=$(time_field 'Maximum resident set size (kbytes)')
[ "$RC" = 0 ] || { echo "day 1 did not finish (exit $RC): $(tail -3 "$OUT/day-1.log")" >&2; exit 1; }

# day 2: the next export; the stub counts from here
gen_export 2 "$DATA/inbox/customers-2.csv"
changes=$(expected_changes); deletes=$(expected_deletes)
echo "[2] day 2: $changes rows changed, $deletes removed (load $(load))"
curl -sf -X POST "$STUB_URL/_reset" >/dev/null
L2=$(load)
ferry_run day-2
L2="$L2 / $(load)"
summary day-2
second_duration=$(jq .durationSeconds "$REPORT"); second_rss=$(time_field 'Maximum resident set size (kbytes)')
requests=$(curl -sf "$STUB_URL/_stats" | jq .requests)
check=$([ "$requests" = "$((changes + deletes))" ] && echo yes || echo NO)
echo "    the stub saw $requests requests in day 2; changes + deletes = $changes + $deletes = $((changes + deletes)):" \
    "equal: $check; report: unchanged $(jq .records.unchanged "$REPORT"), delivered $(jq .records.delivered "$REPORT")," \
    "deletes $(jq .records.deletes "$REPORT"), deleted $(jq .records.deleted "$REPORT"); snapshot $(jq -c '.files[0].snapshot' "$REPORT")"
echo
echo "| run | rows read | requests | duration | records/s | peak RSS | load (1/5/15 min, start / end) |"
echo "|---|---|---|---|---|---|---|"
echo "| day 1: every row new | $ROWS | $(jq '.requests | add' "$OUT/day-1.report.json") | ${first_duration} s | $(calc "$ROWS / $first_duration" 0) | $((first_rss / 1024)) MiB | $L1 |"
echo "| day 2: 1 % changed, 0.5 % removed | $(jq .records.read "$REPORT") | $requests (expected $((changes + deletes)): $check) | ${second_duration} s | $(calc "$(jq .records.read "$REPORT") / $second_duration" 0) | $((second_rss / 1024)) MiB | $L2 |"
echo "output: $OUT"
