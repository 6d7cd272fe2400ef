#!/usr/bin/env bash
# End-to-end check of ferry's observability with the real tools, all on 127.0.0.1:
#
#   flaky API (WireMock standalone) <- ferry run -> Pushgateway <- Prometheus (scrape every 1s)
#
# It drops a few files into a temporary data dir, runs the packaged jar once against an API that
# answers 503 once to two keys, 422 to one key and 200 otherwise, then asserts through
# Prometheus's HTTP API that the pushed metrics arrived (ferry_records_total per outcome,
# ferry_requests_total, ft_*), lints the pushed exposition with `promtool check metrics`, loads
# the alert rules, and runs every panel query of the Grafana dashboard, each of which must return
# data. The run also logs as JSON with the audit trail on: every line must be JSON, the audit lines
# must be there, and the bearer token must not.
#
# Usage, from the repository root:
#   ./mvnw -B package -DskipTests
#   observability/e2e.sh
# Needs java, python3, curl and the Debian packages prometheus (prometheus, promtool) and
# prometheus-pushgateway; WireMock's standalone jar comes from ~/.m2 (a test dependency, fetched by
# the build). Installs nothing. Every wait is bounded; every process it starts is stopped on exit.
# Last line: "e2e: N passed, M failed"; the exit status is non-zero when anything failed.
set -uo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

jar="target/quarkus-app/quarkus-run.jar"
m2="${MAVEN_REPO:-$HOME/.m2/repository}"
wiremock_jar="$(ls "$m2"/org/wiremock/wiremock-standalone/*/wiremock-standalone-*.jar 2>/dev/null | sort -V | tail -n 1)"
for need in java python3 curl prometheus promtool prometheus-pushgateway; do
  command -v "$need" >/dev/null 2>&1 || { echo "e2e: $need not found (apt-get install -y prometheus prometheus-pushgateway)" >&2; exit 2; }
done
[[ -f "$jar" ]] || { echo "e2e: $jar not found; run ./mvnw -B package -DskipTests first" >&2; exit 2; }
[[ -n "$wiremock_jar" ]] || { echo "e2e: no wiremock-standalone jar under $m2; run the Maven build first" >&2; exit 2; }

mkdir -p target
work="$(mktemp -d "$root/target/e2e.XXXXXX")"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  if [[ "${E2E_KEEP:-}" == "1" ]]; then
    echo "e2e: kept $work"
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "  ok    $*"; }
fail() { failed=$((failed + 1)); echo "  FAIL  $*"; }
check() { # check DESCRIPTION COMMAND...: one assertion
  local what="$1"; shift
  if "$@"; then pass "$what"; else fail "$what"; fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# wait_for SECONDS URL: until URL answers 2xx
wait_for() {
  local deadline=$((SECONDS + $1))
  until curl -fsS -m 2 -o /dev/null "$2" 2>/dev/null; do
    (( SECONDS < deadline )) || return 1
    sleep 0.3
  done
}

api_port="$(free_port)"
pgw_port="$(free_port)"
prom_port="$(free_port)"
api="http://127.0.0.1:$api_port"
pgw="http://127.0.0.1:$pgw_port"
prom="http://127.0.0.1:$prom_port"

# ---------------------------------------------------------------- the flaky API
mkdir -p "$work/wiremock/mappings" "$work/wiremock/__files"
cat > "$work/wiremock/mappings/reject.json" <<'EOF'
{ "priority": 1,
  "request": { "method": "PUT", "urlPath": "/records/bad-1" },
  "response": { "status": 422, "body": "{\"error\":\"invalid record\"}" } }
EOF
# c-3 and n-5 get one 503 each, then 200. A scenario per key: ferry never has two requests of one key
# in flight, while WireMock moves a scenario shared by concurrent requests on without a lock.
for key in c-3 n-5; do
  cat > "$work/wiremock/mappings/flaky-$key.json" <<EOF
{ "priority": 2, "scenarioName": "flaky-$key", "requiredScenarioState": "Started", "newScenarioState": "recovered",
  "request": { "method": "PUT", "urlPath": "/records/$key" },
  "response": { "status": 503, "body": "try again", "fixedDelayMilliseconds": 50 } }
EOF
done
cat > "$work/wiremock/mappings/ok.json" <<'EOF'
{ "priority": 5,
  "request": { "method": "PUT", "urlPathPattern": "/records/.*" },
  "response": { "status": 200, "fixedDelayMilliseconds": 100 } }
EOF
java -jar "$wiremock_jar" --port "$api_port" --bind-address 127.0.0.1 --disable-banner \
  --root-dir "$work/wiremock" > "$work/wiremock.log" 2>&1 &
pids+=($!)

# ---------------------------------------------------------------- Pushgateway and Prometheus
prometheus-pushgateway --web.listen-address="127.0.0.1:$pgw_port" > "$work/pushgateway.log" 2>&1 &
pids+=($!)
cp helm/ferry/files/ferry-rules.yaml "$work/ferry-rules.yaml"
cat > "$work/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files:
  - $work/ferry-rules.yaml
scrape_configs:
  - job_name: pushgateway
    honor_labels: true
    static_configs:
      - targets: ["127.0.0.1:$pgw_port"]
EOF
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
  --web.listen-address="127.0.0.1:$prom_port" > "$work/prometheus.log" 2>&1 &
pids+=($!)

echo "e2e: API $api, Pushgateway $pgw, Prometheus $prom, work dir $work"
echo "== start-up"
check "WireMock answers" wait_for 60 "$api/__admin/mappings"
check "Pushgateway is ready" wait_for 30 "$pgw/-/ready"
check "Prometheus is ready" wait_for 60 "$prom/-/ready"

# ---------------------------------------------------------------- the data and the run
data="$work/data"
mkdir -p "$data/inbox"
good=0
{
  echo "id,name,amount"
  for i in $(seq 1 10); do echo "c-$i,name $i,$i.50"; good=$((good + 1)); done
  echo "bad-1,refused by the API,0"
} > "$data/inbox/01-orders.csv"
{
  for i in $(seq 1 8); do echo "{\"id\":\"n-$i\",\"qty\":$i}"; done
  echo "{this is not json"
} > "$data/inbox/02-items.ndjson"
good=$((10 + 8))
rejected=2
touch -d '1 minute ago' "$data/inbox/"*

token="e2e-secret-token-4711"
run_ferry() { # run_ferry LOG: one `ferry run` against the flaky API, pushing to the Pushgateway
  env FERRY_DATA_DIR="$data" \
    FERRY_TARGET_URL="$api" \
    FERRY_TARGET_BEARER_TOKEN="$token" \
    FERRY_INBOX_SETTLE=0s \
    FERRY_RETRY_INITIAL_DELAY=50ms FERRY_RETRY_MAX_DELAY=200ms FERRY_RETRY_JITTER=10ms \
    FERRY_REQUEST_TIMEOUT=5s \
    FERRY_DELIVERY_CONCURRENCY=2 \
    FERRY_METRICS_PUSHGATEWAY_URL="$pgw" \
    FERRY_METRICS_PUSH_INTERVAL=1s \
    FERRY_METRICS_GROUPING_INSTANCE=e2e \
    FERRY_LOG_PROGRESS_INTERVAL=1s \
    FERRY_LOG_AUDIT=true \
    FERRY_LOG_REDACT_FIELDS=amount \
    QUARKUS_LOG_CONSOLE_JSON_ENABLED=true \
    timeout 180 java -jar "$jar" run > "$1" 2>&1
}
echo "== ferry run ($good good records, $rejected to reject)"
run_ferry "$work/ferry.log"
code=$?
echo "   exit code $code"
check "ferry run exits 0 or 75 (got $code)" test "$code" -eq 0 -o "$code" -eq 75
check "every log line is JSON (QUARKUS_LOG_CONSOLE_JSON_ENABLED=true)" python3 - "$work/ferry.log" <<'EOF'
import json, sys
lines = [l for l in open(sys.argv[1]) if l.strip()]
bad = [l for l in lines if not l.lstrip().startswith("{") or not isinstance(json.loads(l), dict)]
sys.exit(1 if not lines or bad else 0)
EOF
check "audit lines with an Idempotency-Key are logged" grep -q '"loggerName":"dev.ferry.audit".*idempotencyKey=[0-9a-f]\{64\}' "$work/ferry.log"
check "progress lines are logged" grep -q '"message":"progress: ' "$work/ferry.log"
check "the bearer token is never logged" bash -c "! grep -q -e '$token' -e 'Bearer' '$work/ferry.log'"

# ---------------------------------------------------------------- what Prometheus got
# query EXPR: prints the result vector as JSON ([] when empty, nothing on error)
query() {
  curl -fsS -m 5 -G "$prom/api/v1/query" --data-urlencode "query=$1" 2>/dev/null |
    python3 -c 'import json, sys; d = json.load(sys.stdin); print(json.dumps(d["data"]["result"]) if d["status"] == "success" else "")'
}
# value_is SECONDS EXPR WANT: polls until the single sample of EXPR equals WANT
value_is() {
  local deadline=$((SECONDS + $1)) got
  while :; do
    got="$(query "$2" | python3 -c 'import json, sys; r = json.load(sys.stdin); print(r[0]["value"][1] if len(r) == 1 else "")' 2>/dev/null)"
    [[ -n "$got" ]] && python3 -c "import sys; sys.exit(0 if float('$got') == float('$3') else 1)" && return 0
    (( SECONDS < deadline )) || { echo "        $2 = ${got:-nothing}, want $3"; return 1; }
    sleep 1
  done
}
# has_data SECONDS EXPR: polls until EXPR returns a non-empty result
has_data() {
  local deadline=$((SECONDS + $1)) got
  while :; do
    got="$(query "$2")"
    [[ -n "$got" && "$got" != "[]" ]] && return 0
    (( SECONDS < deadline )) || { echo "        $2 returned ${got:-an error}"; return 1; }
    sleep 1
  done
}

echo "== Prometheus (via the Pushgateway)"
check "ferry_records_total{outcome=\"delivered\"} = $good" \
  value_is 60 'ferry_records_total{job="ferry",instance="e2e",outcome="delivered"}' "$good"
check "ferry_records_total{outcome=\"rejected\"} = $rejected" \
  value_is 20 'ferry_records_total{job="ferry",instance="e2e",outcome="rejected"}' "$rejected"
check "ferry_records_total{outcome=\"failed\"} = 0" \
  value_is 20 'ferry_records_total{job="ferry",instance="e2e",outcome="failed"}' 0
check "ferry_requests_total{result=\"5xx\"} = 2 (the scripted 503s)" \
  value_is 20 'ferry_requests_total{job="ferry",instance="e2e",result="5xx"}' 2
check "ferry_retries_total = 2 (each 503 retried once)" value_is 20 'ferry_retries_total{job="ferry",instance="e2e"}' 2
check "ferry_requests_total{result=\"4xx\"} = 1 (the 422)" \
  value_is 20 'ferry_requests_total{job="ferry",instance="e2e",result="4xx"}' 1
check "ferry_requests_total has a series per result (2xx, 3xx, 4xx, 5xx, connection, timeout)" \
  value_is 20 'count(ferry_requests_total{job="ferry",instance="e2e"})' 6
check "SmallRye Fault Tolerance's ft_* series arrived" has_data 20 'count by (__name__) ({__name__=~"ft_.+",job="ferry"})'
check "ft_invocations_total counts the sends" has_data 20 'ft_invocations_total{job="ferry",method=~".*RecordSender.send"}'
check "ferry_last_success_timestamp_seconds is set (exit 0)" \
  has_data 20 'ferry_last_success_timestamp_seconds{job="ferry",instance="e2e"} > 0'
check "the dashboard's instance variable lists e2e" bash -c \
  "curl -fsS -m 5 -G '$prom/api/v1/label/instance/values' --data-urlencode 'match[]=ferry_last_run_timestamp_seconds' | grep -q '\"e2e\"'"

echo "== promtool check metrics (the ferry job's exposition on the Pushgateway)"
curl -fsS -m 5 "$pgw/metrics" > "$work/pushgateway-metrics.txt"
python3 - "$work/pushgateway-metrics.txt" > "$work/ferry-job-metrics.txt" <<'EOF'
# keeps the metric families with samples of job="ferry", HELP and TYPE included
import re, sys
families, order = {}, []
current = None
for line in open(sys.argv[1]):
    m = re.match(r"# (HELP|TYPE) (\S+)", line)
    if m:
        current = m.group(2)
        if current not in families:
            families[current] = {"meta": [], "samples": []}
            order.append(current)
        families[current]["meta"].append(line)
    elif line.strip() and current is not None:
        families[current]["samples"].append(line)
for name in order:
    samples = [s for s in families[name]["samples"] if 'job="ferry"' in s]
    if samples:
        sys.stdout.write("".join(families[name]["meta"]) + "".join(samples))
EOF
check "the ferry job's exposition has ferry_* and ft_* families" \
  bash -c "grep -q '^ferry_records_total' '$work/ferry-job-metrics.txt' && grep -q '^ft_' '$work/ferry-job-metrics.txt'"
promtool check metrics < "$work/ferry-job-metrics.txt" > "$work/promtool.txt" 2>&1
lint=$?
sed 's/^/        /' "$work/promtool.txt" | head -n 20
# promtool exits 1 when the exposition does not parse, 3 when it parses with lint findings. The findings
# are advice; SmallRye Fault Tolerance's ft_* families have some (no HELP, camelCase label names) that
# ferry cannot change, but ferry's own families must have none.
check "promtool check metrics: the exposition parses (exit $lint)" test "$lint" -eq 0 -o "$lint" -eq 3
check "promtool check metrics: no findings on ferry_* families" bash -c "! grep -q '^ferry_' '$work/promtool.txt'"
[[ $lint -eq 0 ]] && echo "        (no lint findings at all)"

echo "== alert rules (helm/ferry/files/ferry-rules.yaml) evaluate on the pushed series"
check "every rule is healthy" bash -c "sleep 3; curl -fsS -m 5 '$prom/api/v1/rules' | python3 -c '
import json, sys
groups = json.load(sys.stdin)[\"data\"][\"groups\"]
rules = [r for g in groups for r in g[\"rules\"]]
bad = [r[\"name\"] for r in rules if r.get(\"health\") != \"ok\"]
print(\"        %d rules, unhealthy: %s\" % (len(rules), bad or \"none\"))
sys.exit(1 if not rules or bad else 0)'"

echo "== dashboard panels (helm/ferry/files/ferry-dashboard.json)"
python3 - helm/ferry/files/ferry-dashboard.json > "$work/panels.tsv" <<'EOF'
# one "title<TAB>expr" line per panel query, Grafana variables replaced for a plain Prometheus
import json, sys
def walk(panels):
    for panel in panels:
        for target in panel.get("targets", []):
            expr = target.get("expr")
            if expr:
                for var, value in (("${namespace}", ".*"), ("$namespace", ".*"),
                                   ("${instance}", ".*"), ("$instance", ".*"), ("${shard}", ".*"),
                                   ("$shard", ".*"), ("${datasource}", ""),
                                   ("$datasource", ""), ("$__rate_interval", "1m"), ("$__interval", "15s"),
                                   ("$__range", "1h")):
                    expr = expr.replace(var, value)
                print(panel.get("title", "?") + "\t" + " ".join(expr.split()))
        walk(panel.get("panels", []))
walk(json.load(open(sys.argv[1]))["panels"])
EOF
panels=0
while IFS=$'\t' read -r title expr; do
  panels=$((panels + 1))
  check "panel \"$title\": $expr" has_data 20 "$expr"
done < "$work/panels.tsv"
check "the dashboard has panel queries ($panels)" test "$panels" -gt 0

echo "== a second run that fails: a new process must not push 0 for the last success"
success_before="$(query 'ferry_last_success_timestamp_seconds{job="ferry",instance="e2e"}' |
  python3 -c 'import json, sys; r = json.load(sys.stdin); print(r[0]["value"][1] if r else "")')"
echo '{"id":"down-1"}' > "$data/inbox/03-down.ndjson"
touch -d '1 minute ago' "$data/inbox/03-down.ndjson"
cat > "$work/wiremock/mappings/down.json" <<'EOF'
{ "priority": 1,
  "request": { "method": "PUT", "urlPath": "/records/down-1" },
  "response": { "status": 503, "body": "down" } }
EOF
curl -fsS -m 5 -X POST -o /dev/null "$api/__admin/mappings/reset" # reloads the mappings from the root dir
run_ferry "$work/ferry-2.log"
code=$?
echo "   exit code $code"
check "the failing run exits 75 (got $code)" test "$code" -eq 75
check "its push arrived: ferry_records_total{outcome=\"failed\"} = 1" \
  value_is 30 'ferry_records_total{job="ferry",instance="e2e",outcome="failed"}' 1
check "ferry_failed_backlog_records = 1" value_is 20 'ferry_failed_backlog_records{job="ferry",instance="e2e"}' 1
check "ferry_last_exit_code = 75" value_is 20 'ferry_last_exit_code{job="ferry",instance="e2e"}' 75
check "ferry_last_success_timestamp_seconds still holds the first run's end (${success_before:-none})" \
  value_is 20 'ferry_last_success_timestamp_seconds{job="ferry",instance="e2e"}' "${success_before:--1}"
check "FerryNoSuccessfulRun stays silent" bash -c "sleep 2; curl -fsS -m 5 '$prom/api/v1/alerts' | python3 -c '
import json, sys
alerts = json.load(sys.stdin)[\"data\"][\"alerts\"]
sys.exit(1 if any(a[\"labels\"].get(\"alertname\") == \"FerryNoSuccessfulRun\" for a in alerts) else 0)'"

echo
if (( failed > 0 )); then
  echo "e2e: logs kept in $work (ferry.log, pushgateway-metrics.txt, promtool.txt)"
  E2E_KEEP=1
fi
echo "e2e: $passed passed, $failed failed"
(( failed == 0 ))
