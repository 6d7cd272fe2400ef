#!/usr/bin/env bash
# Checks the Prometheus rules of ferry with promtool:
#   1. `promtool check rules`  - syntax and PromQL of helm/ferry/files/ferry-rules.yaml
#   2. `promtool test rules`   - the alert unit tests in ferry-rules.test.yaml
#   3. the alerts over run timelines (a first long load, a stuck API, a suspended
#      CronJob ...): a promtool test made by alert_scenarios.py
#   4. every panel query of ferry-dashboard.json returns data after a single
#      push of the ferry_* metrics (a promtool test made by dashboard_queries.py)
# ferry-rules.yaml itself is the chart's alerts rendered with default values
# (HelmAlertsTest checks that they are the same).
# Exits non-zero when either fails. promtool comes with Prometheus
# (Debian/Ubuntu: apt-get install -y prometheus).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
cd "$here/../helm/ferry/files"

if ! command -v promtool >/dev/null 2>&1; then
  echo "check-rules: promtool not found; install Prometheus (apt-get install -y prometheus)" >&2
  exit 2
fi

echo "== promtool check rules ferry-rules.yaml"
promtool check rules ferry-rules.yaml

echo "== promtool test rules ferry-rules.test.yaml"
promtool test rules ferry-rules.test.yaml

# scratch space inside the checkout (target/ is ignored by git), removed on exit
mkdir -p "$here/../target"
work="$(mktemp -d "$here/../target/check-rules.XXXXXX")"
trap 'rm -rf "$work"' EXIT

echo "== run timelines against ferry-rules.yaml (alert_scenarios.py)"
python3 "$here/alert_scenarios.py" "$work"
promtool test rules "$work/alert-scenarios.test.yaml"

echo "== dashboard queries of ferry-dashboard.json"
python3 "$here/dashboard_queries.py" "$work"
promtool check rules "$work/dashboard-rules.yaml"
promtool test rules "$work/dashboard-rules.test.yaml"

echo "check-rules: OK"
