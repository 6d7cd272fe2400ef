#!/usr/bin/env bash
# Start-up time and memory of one ferry build, as Markdown table rows:
#   .ci/startup-footprint.sh LABEL COMMAND...     e.g.  .ci/startup-footprint.sh native ./target/*-runner
# Each case runs 5 times against a fresh, empty data dir (nothing to deliver, no network): `status` reads the
# data dir; `run` takes the lock, finds an empty inbox, writes its report and exits 0. Reported: the median
# wall-clock time of the whole process (start, work, exit) and the median peak RSS (GNU time's %M).
set -euo pipefail
label="$1"; shift
[ -x /usr/bin/time ] || { echo "GNU time (/usr/bin/time) is needed: apt-get install time" >&2; exit 1; }

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

measure() {
  local case="$1"; shift
  local times=() rss=() out
  for _ in 1 2 3 4 5; do
    local data; data="$(mktemp -d)"
    out="$(FERRY_DATA_DIR="$data" FERRY_TARGET_URL=http://127.0.0.1:9 FERRY_INBOX_SETTLE=0s \
      /usr/bin/time -f '%x %e %M' "$@" "$case" 2>&1 >/dev/null | tail -1)" || true
    rm -rf "$data"
    read -r code seconds kb <<<"$out"
    if [ "$code" != 0 ]; then echo "$label $case exited $code" >&2; exit 1; fi
    times+=("$seconds"); rss+=("$kb")
  done
  printf '| %s | `%s` | %s s | %s MB |\n' "$label" "$case" \
    "$(printf '%s\n' "${times[@]}" | median)" \
    "$(( $(printf '%s\n' "${rss[@]}" | median) / 1024 ))"
}

echo "| build | command | wall time (median of 5) | peak RSS (median of 5) |"
echo "|---|---|---|---|"
measure status "$@"
measure run "$@"
