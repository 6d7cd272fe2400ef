{{/*
Seconds between two scheduled runs, for the alert windows: alerts.scheduleIntervalSeconds
when set, else derived from the schedule in force (cronjob.schedule, or in
deployment mode config.schedule, Quarkus cron with seconds first, default
every 15 minutes) when it is a fixed interval: @hourly, @daily, @weekly,
every N minutes, minute M of every hour, minute M of every Nth hour, a time
of day, a time of one day of the week. Anything else (lists, ranges, days of
the month) fails and asks for the value.
*/}}
{{- define "ferry.scheduleIntervalSeconds" -}}
{{- if .Values.alerts.scheduleIntervalSeconds }}
{{- .Values.alerts.scheduleIntervalSeconds | int64 }}
{{- else }}
{{- $schedule := .Values.cronjob.schedule }}
{{- if eq .Values.mode "deployment" }}
{{- $fields := splitList " " (default "0 */15 * * * ?" .Values.config.schedule | trim | regexReplaceAll "\\s+" " ") }}
{{- /* Quarkus cron: seconds first, "?" for "any", an optional year: back to the 5 fields of Kubernetes */}}
{{- if and (ge (len $fields) 6) (regexMatch "^[0-9]+$" (first $fields)) }}
{{- $schedule = slice $fields 1 6 | join " " | replace "?" "*" }}
{{- else }}
{{- $schedule = "" }}
{{- end }}
{{- end }}
{{- $cron := $schedule | trim | regexReplaceAll "\\s+" " " }}
{{- $n := "[0-9]+" }}
{{- if eq $cron "@hourly" }}3600
{{- else if or (eq $cron "@daily") (eq $cron "@midnight") }}86400
{{- else if eq $cron "@weekly" }}604800
{{- else if regexMatch "^\\*/[0-9]+ \\* \\* \\* \\*$" $cron }}
{{- mul (regexFind "[0-9]+" $cron | int64) 60 }}
{{- else if regexMatch "^[0-9]+ \\* \\* \\* \\*$" $cron }}3600
{{- else if regexMatch "^[0-9]+ \\*/[0-9]+ \\* \\* \\*$" $cron }}
{{- mul (regexFind "[0-9]+ \\* \\* \\*$" $cron | regexFind "^[0-9]+" | int64) 3600 }}
{{- else if regexMatch "^[0-9]+ [0-9]+ \\* \\* \\*$" $cron }}86400
{{- else if regexMatch "^[0-9]+ [0-9]+ \\* \\* [0-7]$" $cron }}604800
{{- else }}
{{- fail (printf "ferry: alerts.scheduleIntervalSeconds: cannot tell the interval between runs from the schedule %q; set alerts.scheduleIntervalSeconds (seconds between two runs) for the alert windows" $schedule) }}
{{- end }}
{{- end }}
{{- end }}

{{/*
A selector of ferry series: the matchers given plus alerts.selector.
Call with (list $ "outcome=\"rejected\"") or (list $).
*/}}
{{- define "ferry.alertSelector" -}}
{{- $root := first . }}
{{- $matchers := rest . }}
{{- with $root.Values.alerts.selector }}
{{- $matchers = append $matchers . }}
{{- end }}
{{- if $matchers }}{{ printf "{%s}" (join "," $matchers) }}{{ end }}
{{- end }}

{{/*
The alerting rules as a Prometheus rule groups document. Rendered from
alerts.* into the PrometheusRule, and (with default values) kept as
files/ferry-rules.yaml for a Prometheus without the operator.
*/}}
{{- define "ferry.alertRules" -}}
{{- $a := .Values.alerts }}
{{- $interval := include "ferry.scheduleIntervalSeconds" . | int64 }}
{{- $s := include "ferry.alertSelector" (list .) }}
{{- $progress := include "ferry.alertSelector" (list . "outcome!=\"failed\"") }}
{{- $rejected := include "ferry.alertSelector" (list . "outcome=\"rejected\"") }}
{{- $rules := list }}
{{- with $a.notRunning }}
{{- $w := mul $interval .intervals }}
{{- $rules = append $rules (dict "key" "notRunning" "alert" "FerryNotRunning"
  "expr" (printf "(time() - ferry_last_run_timestamp_seconds%s > %d and ferry_last_run_timestamp_seconds%s > 0)\nor\n(time() - push_time_seconds%s > %d and ferry_last_run_timestamp_seconds%s == 0)" $s $w $s $s $w $s)
  "summary" "ferry {{ $labels.namespace }}/{{ $labels.instance }} has not run"
  "description" (printf "No run has ended for %d schedule intervals (%ds); before the first run ended: nothing was pushed for that long. The CronJob may be suspended or unable to start its pod (image, volume, quota), or the runs die before they report." (int64 .intervals) $w)) }}
{{- end }}
{{- with $a.noSuccessfulRun }}
{{- $w := mul $interval .intervals }}
{{- $rules = append $rules (dict "key" "noSuccessfulRun" "alert" "FerryNoSuccessfulRun"
  "expr" (printf "ferry_last_exit_code%s == 75\nand time() - ferry_last_success_timestamp_seconds%s > %d\nand ferry_last_success_timestamp_seconds%s offset %ds\nunless sum without (outcome) (increase(ferry_records_total%s[%ds])) > 0" $s $s $w $s $w $progress $w)
  "summary" "ferry {{ $labels.namespace }}/{{ $labels.instance }} leaves work behind and settles nothing"
  "description" (printf "The runs of the last %d schedule intervals (%ds) all ended with work left (exit 75), none succeeded and not one record was settled: the API fails every record (breaker) or the runs stop before they get anywhere." (int64 .intervals) $w)) }}
{{- end }}
{{- with $a.workLeftTooLong }}
{{- $w := mul $interval .intervals }}
{{- $rules = append $rules (dict "key" "workLeftTooLong" "alert" "FerryWorkLeftTooLong"
  "expr" (printf "ferry_last_exit_code%s == 75\nand time() - ferry_last_success_timestamp_seconds%s > %d\nand ferry_last_success_timestamp_seconds%s offset %ds" $s $s $w $s $w)
  "summary" "ferry {{ $labels.namespace }}/{{ $labels.instance }} has left work for the next run for too long"
  "description" (printf "No run has finished everything for %d schedule intervals (%ds) although runs go on: input arrives faster than ferry delivers it, or failed/ never drains." (int64 .intervals) $w)) }}
{{- end }}
{{- range list
  (list "credentialsRefused" 77 "FerryCredentialsRefused" "the API refuses ferry's credentials" "The last run stopped with exit 77: the API answered 401 or 403. Input is untouched; renew or fix the credentials in the Secret of auth.mode.")
  (list "misconfigured" 78 "FerryMisconfigured" "ferry is misconfigured" "The last run stopped with exit 78 before it did anything; the log names the property. Fix the values (ConfigMap) and the next run goes on.")
  (list "misrouted" 76 "FerryMisrouted" "the API looks misrouted" "The last run stopped with exit 76: the API answered a row of records with routing-type refusals (3xx, 404, 405, 406, 415, 501, 505 or a 4xx without a JSON body), or a snapshot would delete too much. Input is untouched; check ferry.target.url and ferry.target.path.")
  (list "crashing" 1 "FerryCrashing" "a run crashed" "The last run ended with exit 1, an unexpected error logged with its cause, e.g. a data volume that is full or not writable.") }}
{{- $key := index . 0 }}
{{- $alert := index . 2 }}
{{- if index $a $key }}
{{- $rules = append $rules (dict "key" $key "alert" $alert
  "expr" (printf "ferry_last_exit_code%s == %d" $s (int64 (index . 1)))
  "summary" (printf "ferry {{ $labels.namespace }}/{{ $labels.instance }}: %s" (index . 3))
  "description" (index . 4)) }}
{{- end }}
{{- end }}
{{- with $a.breakerOpened }}
{{- $rules = append $rules (dict "key" "breakerOpened" "alert" "FerryBreakerOpened"
  "expr" (printf "increase(ferry_breaker_opened_total%s[%ds]) > 0" $s $interval)
  "summary" "ferry {{ $labels.namespace }}/{{ $labels.instance }} opened its circuit breaker"
  "description" "The external API failed for ferry.breaker.failure-threshold records in a row within the last schedule interval; ferry paused reading for ferry.breaker.delay. Records that failed are in failed/ and are replayed by the next run.") }}
{{- end }}
{{- with $a.failedBacklogGrowing }}
{{- $w := mul $interval .intervals }}
{{- $rules = append $rules (dict "key" "failedBacklogGrowing" "alert" "FerryFailedBacklogGrowing"
  "expr" (printf "delta(ferry_failed_backlog_records%s[%ds]) > 0 and ferry_failed_backlog_records%s > 0" $s $w $s)
  "summary" "ferry {{ $labels.namespace }}/{{ $labels.instance }} has a growing backlog of failed records"
  "description" (printf "The number of records in failed/ grew over the last %d schedule intervals (%ds): replays do not drain it. See lastError in the failed/ NDJSON files." (int64 .intervals) $w)) }}
{{- end }}
{{- with $a.rejectedRecords }}
{{- $rules = append $rules (dict "key" "rejectedRecords" "alert" "FerryRejectedRecords"
  "expr" (printf "increase(ferry_records_total%s[%ds]) > 0" $rejected $interval)
  "summary" "ferry {{ $labels.namespace }}/{{ $labels.instance }} rejected records"
  "description" "Records went to rejected/ within the last schedule interval (refused for good, or unparseable). They are never replayed on their own: fix them and requeue them or drop them into inbox/ again.") }}
{{- end }}
{{- with $a.filesQuarantined }}
{{- $rules = append $rules (dict "key" "filesQuarantined" "alert" "FerryFilesQuarantined"
  "expr" (printf "increase(ferry_files_quarantined_total%s[%ds]) > 0" $s $interval)
  "summary" "ferry {{ $labels.namespace }}/{{ $labels.instance }} set files aside in quarantine/"
  "description" "Files in inbox/ could not be read as data (not a regular file, unreadable, a header without the key column, or corrupt state) and were moved to quarantine/, each with a .reason.json.") }}
{{- end }}
{{- with $a.failedRecordsOld }}
{{- $rules = append $rules (dict "key" "failedRecordsOld" "alert" "FerryFailedRecordsOld"
  "expr" (printf "ferry_failed_oldest_seconds%s > %d" $s (int64 .maxAgeSeconds))
  "summary" "ferry {{ $labels.namespace }}/{{ $labels.instance }} has records in failed/ older than the limit"
  "description" (printf "The oldest record in failed/ is older than %ds: replays keep failing for it. It is given up (rejected/) after ferry.failed.max-age or ferry.failed.max-runs." (int64 .maxAgeSeconds))) }}
{{- end }}
groups:
  - name: ferry
    rules:
{{- range $rules }}
{{- $settings := index $a .key }}
{{- if $settings.enabled }}
      - alert: {{ .alert }}
        expr: {{ .expr | toYaml | nindent 10 | trim }}
        {{- with $settings.for }}
        for: {{ . }}
        {{- end }}
        labels:
          severity: {{ $settings.severity }}
          {{- with merge (deepCopy ($settings.labels | default dict)) ($a.labels | default dict) }}
          {{- toYaml . | nindent 10 }}
          {{- end }}
        annotations:
          summary: {{ .summary | quote }}
          description: {{ .description | quote }}
          runbook_url: {{ printf "%s#%s" $a.runbookBaseUrl (lower .alert) | quote }}
{{- end }}
{{- end }}
{{- end }}
