#!/usr/bin/env python3
"""Turns every panel query of helm/ferry/files/ferry-dashboard.json into a
promtool unit test: after a single push of all ferry_* metrics (the table of
docs/reference.md, Metrics), each query must return at least one sample.

Each query Q becomes an alert rule `count(Q) > 0`, expected to fire with no
labels but its name; $namespace, $instance and $shard are replaced by ".*" (the "All"
value). Also
checks that observability/README.md lists every query verbatim.

Usage: dashboard_queries.py OUT_DIR   (writes dashboard-rules.yaml and
dashboard-rules.test.yaml there, then run `promtool test rules` on the test).
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DASHBOARD = os.path.join(HERE, "..", "helm", "ferry", "files", "ferry-dashboard.json")
README = os.path.join(HERE, "README.md")

# One push by one run: the Pushgateway serves these values until the next push.
PUSHED = {
    'ferry_records_total{outcome="delivered"}': 120,
    'ferry_records_total{outcome="failed"}': 3,
    'ferry_records_total{outcome="rejected"}': 2,
    'ferry_requests_total{result="2xx"}': 120,
    'ferry_requests_total{result="5xx"}': 9,
    'ferry_requests_total{result="timeout"}': 1,
    "ferry_retries_total": 7,
    "ferry_breaker_opened_total": 1,
    "ferry_breaker_state": 0,
    "ferry_reader_paused_seconds_total": 60,
    'ferry_request_duration_seconds_bucket{le="0.1"}': 80,
    'ferry_request_duration_seconds_bucket{le="0.5"}': 120,
    'ferry_request_duration_seconds_bucket{le="+Inf"}': 130,
    "ferry_request_duration_seconds_sum": 30,
    "ferry_request_duration_seconds_count": 130,
    "ferry_failed_backlog_records": 3,
    "ferry_run_duration_seconds": 95,
    "ferry_last_run_timestamp_seconds": 0,
    "ferry_last_success_timestamp_seconds": 0,
    "ferry_last_exit_code": 75,
}
PUSH_LABELS = 'job="ferry",instance="ferry",namespace="batch"'


def series_name(metric):
    if "{" in metric:
        name, labels = metric.split("{", 1)
        return f"{name}{{{PUSH_LABELS},{labels}"
    return f"{metric}{{{PUSH_LABELS}}}"


def queries():
    with open(DASHBOARD) as f:
        dashboard = json.load(f)
    for panel in dashboard["panels"]:
        for target in panel.get("targets", []):
            yield panel["title"], target["expr"]


def main(out_dir):
    found = list(queries())
    with open(README) as f:
        readme = f.read()
    missing = [expr for _, expr in found if expr not in readme]
    if missing:
        sys.exit("observability/README.md does not list these dashboard queries:\n  " + "\n  ".join(missing))

    rules, expected = [], []
    for i, (title, expr) in enumerate(found, 1):
        name = f"DashboardQuery{i:02d}"
        query = expr.replace("$namespace", ".*").replace("$instance", ".*").replace("$shard", ".*")
        rules.append({"alert": name, "expr": f"count({query}) > 0",
                      "annotations": {"panel": title}})
        expected.append({"eval_time": "10m", "alertname": name,
                         "exp_alerts": [{"exp_labels": {}, "exp_annotations": {"panel": title}}]})

    # JSON is YAML: no YAML library needed.
    with open(os.path.join(out_dir, "dashboard-rules.yaml"), "w") as f:
        json.dump({"groups": [{"name": "ferry-dashboard-queries", "rules": rules}]}, f, indent=1)
    test = {
        "rule_files": ["dashboard-rules.yaml"],
        "evaluation_interval": "1m",
        "tests": [{
            "interval": "15s",
            "input_series": [{"series": series_name(m), "values": f"{v}x60"} for m, v in PUSHED.items()],
            "alert_rule_test": expected,
        }],
    }
    with open(os.path.join(out_dir, "dashboard-rules.test.yaml"), "w") as f:
        json.dump(test, f, indent=1)
    print(f"{len(found)} dashboard queries written to {out_dir}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
