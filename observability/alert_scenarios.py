#!/usr/bin/env python3
"""Run timelines for the alerts of helm/ferry/files/ferry-rules.yaml, as a promtool test.

Each scenario is a list of runs of one ferry release (start and length in minutes of the
test clock, exit code, records settled or failed per minute). The model is the
Pushgateway's: a run pushes every minute and once at its end; between runs every series
keeps its last pushed value; each run is a new process, so its counters start from 0;
the last-run gauges are restored from reports/ (ferry_last_exit_code is NaN until a
first run has ended). push_time_seconds is the Pushgateway's time of the last push.

promtool (2.42, Debian) starts its clock at the Unix epoch, so no scenario starts at 0:
the install is at day 1 of the test clock, when `time() - 0` (a gauge that was never
set) is already larger than any window, as it is on a real clock.

Each scenario names the alerts it checks and when each one must be firing; at every
check time the others must be silent. Labels and annotations of a firing alert come
from the rules file itself (severity, summary, description, runbook_url).

Usage: alert_scenarios.py OUT_DIR   (writes alert-scenarios.test.yaml there, next to a
copy of ferry-rules.yaml; then run `promtool test rules` on it).
"""
import json
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
RULES = os.path.join(HERE, "..", "helm", "ferry", "files", "ferry-rules.yaml")

DAY = 24 * 60  # minutes
HOUR = 60


class Run:
    """exit_code None: the run is killed before its report (no final push)."""

    def __init__(self, start, minutes, exit_code, settled=0, failed=0):
        self.start, self.minutes, self.exit_code = start, minutes, exit_code
        self.settled, self.failed = settled, failed  # records per minute

    @property
    def end(self):
        return self.start + self.minutes


def hourly(first, count, minutes, exit_code, settled=0, failed=0):
    return [Run(first + i * HOUR, minutes, exit_code, settled, failed) for i in range(count)]


def timeline(runs, until):
    """Samples per minute 0..until (None: nothing pushed yet) of every series of one group."""
    series = {name: [] for name in ("push_time_seconds", "ferry_last_run_timestamp_seconds",
                                    "ferry_last_success_timestamp_seconds", "ferry_last_exit_code",
                                    "settled", "failed")}
    pushed = None
    last_run, last_success, last_exit = 0, 0, float("nan")
    for minute in range(until + 1):
        run = next((r for r in runs if r.start < minute <= r.end), None)
        if run is not None and not (run.exit_code is None and minute == run.end):
            elapsed = minute - run.start
            if minute == run.end:  # the final push, after the report
                last_run, last_exit = minute * 60, run.exit_code
                if run.exit_code == 0:
                    last_success = minute * 60
            pushed = {"push_time_seconds": minute * 60, "ferry_last_run_timestamp_seconds": last_run,
                      "ferry_last_success_timestamp_seconds": last_success, "ferry_last_exit_code": last_exit,
                      "settled": run.settled * elapsed, "failed": run.failed * elapsed}
        for name in series:
            series[name].append(None if pushed is None else pushed[name])
    return series


def notation(values):
    """promtool's expanding notation: runs of one value as 'vxN', missing samples as '_xN'."""
    out, i = [], 0
    while i < len(values):
        j = i
        while j + 1 < len(values) and same(values[j + 1], values[i]):
            j += 1
        count = j - i + 1
        if values[i] is None:
            out.append(f"_x{count}")
        elif values[i] != values[i]:  # NaN has no repeat notation
            out.extend(["NaN"] * count)
        else:
            text = fmt(values[i])
            out.append(text if count == 1 else f"{text}x{count - 1}")
        i = j + 1
    return " ".join(out)


def same(a, b):
    if a is None or b is None:
        return a is b
    return fmt(a) == fmt(b)


def fmt(value):
    if value != value:
        return "NaN"
    return str(int(value)) if float(value).is_integer() else str(value)


def rules():
    """alert name -> (labels, annotations), read from the rules file line by line (no YAML library needed:
    the chart renders labels plain and annotations as double-quoted strings)."""
    found, current, section = {}, None, None
    with open(RULES) as f:
        for line in f:
            stripped = line.strip()
            if stripped.startswith("- alert: "):
                current = stripped[len("- alert: "):]
                found[current] = ({}, {})
                section = None
            elif current and stripped in ("labels:", "annotations:"):
                section = 0 if stripped == "labels:" else 1
            elif current and section is not None and ": " in stripped and line.startswith(" " * 10):
                key, value = stripped.split(": ", 1)
                found[current][section][key] = json.loads(value) if value.startswith('"') else value
            elif current and not line.startswith(" " * 10):
                section = None
    return found


SCENARIOS = [
    {
        "name": "a healthy first bulk load: six hourly runs end with work left (75) and progress, the 7th finishes",
        "instance": "bulk",
        "runs": hourly(DAY, 6, 50, 75, settled=400) + [Run(DAY + 6 * HOUR, 12, 0, settled=400)],
        "until": DAY + 9 * HOUR,
        "checks": {DAY + m: [] for m in (10, 55, 3 * HOUR + 20, 4 * HOUR + 30, 5 * HOUR + 55, 6 * HOUR + 30,
                                         9 * HOUR)},
    },
    {
        "name": "a first run that gets nowhere: every record fails from the install on (API down)",
        "instance": "stuck-from-start",
        "runs": hourly(DAY, 8, 50, 75, failed=20),
        "until": DAY + 8 * HOUR,
        "checks": {
            DAY + 2 * HOUR: [],
            DAY + 3 * HOUR + 10: [],  # 3 intervals known, but not yet for the 15m `for`
            DAY + 3 * HOUR + 30: ["FerryNoSuccessfulRun"],
            DAY + 7 * HOUR: ["FerryNoSuccessfulRun"],
        },
    },
    {
        "name": "stuck after a success: the API goes down, runs settle nothing",
        "instance": "stuck",
        "runs": hourly(DAY, 2, 5, 0, settled=100) + hourly(DAY + 2 * HOUR, 6, 50, 75, failed=10),
        "until": DAY + 8 * HOUR,
        "checks": {
            DAY + 4 * HOUR: [],  # 2h55m since the last success
            DAY + 4 * HOUR + 30: ["FerryNoSuccessfulRun"],
            DAY + 7 * HOUR: ["FerryNoSuccessfulRun"],
        },
    },
    {
        "name": "a big load after a success: runs leave work for hours but progress",
        "instance": "reload",
        "runs": hourly(DAY, 1, 5, 0, settled=100) + hourly(DAY + HOUR, 8, 50, 75, settled=300),
        "until": DAY + 9 * HOUR,
        "checks": {DAY + m: [] for m in (3 * HOUR, 5 * HOUR, 8 * HOUR + 55)},
    },
    {
        "name": "input beyond what ferry delivers: a day of runs that progress and never finish",
        "instance": "overrun",
        "runs": hourly(DAY, 1, 5, 0, settled=100) + hourly(DAY + HOUR, 27, 50, 75, settled=300),
        "until": DAY + 28 * HOUR,
        "checks": {
            DAY + 24 * HOUR + 20: [],  # 24h since the success, not yet for 30m
            DAY + 25 * HOUR: ["FerryWorkLeftTooLong"],
        },
    },
    {
        "name": "runs stop (CronJob suspended) after two successful runs",
        "instance": "suspended",
        "runs": hourly(DAY, 2, 5, 0, settled=100),
        "until": DAY + 6 * HOUR,
        "checks": {
            DAY + 3 * HOUR: [],
            DAY + HOUR + 5 + 3 * HOUR + 5: [],  # 3h05m since the last run ended, `for` 10m
            DAY + HOUR + 5 + 3 * HOUR + 15: ["FerryNotRunning"],
        },
    },
    {
        "name": "a first run that never reports (killed before its report), and no run after it",
        "instance": "never-ended",
        "runs": [Run(DAY, 30, None)],
        "until": DAY + 5 * HOUR,
        "checks": {
            DAY + 3 * HOUR + 15: [],  # 2h45m since the last push
            DAY + 3 * HOUR + 45: ["FerryNotRunning"],
        },
    },
    {
        "name": "healthy hourly runs that finish: nothing fires",
        "instance": "healthy",
        "runs": hourly(DAY, 10, 8, 0, settled=50),
        "until": DAY + 10 * HOUR,
        "checks": {DAY + m: [] for m in (5, 2 * HOUR, 5 * HOUR + 30, 9 * HOUR + 50)},
    },
]

WATCHED = ["FerryNotRunning", "FerryNoSuccessfulRun", "FerryWorkLeftTooLong"]


def scenario_test(scenario, rule_info):
    labels = f'job="ferry",instance="{scenario["instance"]}",namespace="batch"'
    samples = timeline(scenario["runs"], scenario["until"])
    input_series = []
    for name, values in samples.items():
        if name in ("settled", "failed"):
            outcome = "delivered" if name == "settled" else "failed"
            input_series.append({"series": f'ferry_records_total{{{labels},outcome="{outcome}"}}',
                                 "values": notation(values)})
        else:
            input_series.append({"series": f"{name}{{{labels}}}", "values": notation(values)})
    tests = []
    for minute, firing in sorted(scenario["checks"].items()):
        for alert in WATCHED:
            expected = []
            if alert in firing:
                alert_labels, annotations = rule_info[alert]
                exp_labels = dict(alert_labels, job="ferry", instance=scenario["instance"], namespace="batch")
                exp_annotations = {k: v.replace("{{ $labels.namespace }}", "batch")
                                   .replace("{{ $labels.instance }}", scenario["instance"])
                                   for k, v in annotations.items()}
                expected.append({"exp_labels": exp_labels, "exp_annotations": exp_annotations})
            tests.append({"eval_time": f"{minute}m", "alertname": alert, "exp_alerts": expected})
    return {"name": scenario["name"], "interval": "1m", "input_series": input_series, "alert_rule_test": tests}


def main(out_dir):
    rule_info = rules()
    missing = [a for a in WATCHED if a not in rule_info]
    if missing:
        sys.exit(f"ferry-rules.yaml has no alert {missing}")
    shutil.copy(RULES, os.path.join(out_dir, "ferry-rules.yaml"))
    test = {"rule_files": ["ferry-rules.yaml"], "evaluation_interval": "1m",
            "tests": [scenario_test(s, rule_info) for s in SCENARIOS]}
    with open(os.path.join(out_dir, "alert-scenarios.test.yaml"), "w") as f:
        json.dump(test, f, indent=1)  # JSON is YAML
    print(f"{len(SCENARIOS)} run timelines written to {out_dir}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
