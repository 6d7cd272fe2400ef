{{/* vim: set filetype=mustache: */}}
{{/*
Expand the name of the chart.
*/}}
{{- define "ferry.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Create a default fully qualified app name.
We truncate at 63 chars because some Kubernetes name fields are limited to this (by the DNS naming spec).
If release name contains chart name it will be used as a full name.
*/}}
{{- define "ferry.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Create chart name and version as used by the chart label.
*/}}
{{- define "ferry.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Common labels
*/}}
{{- define "ferry.labels" -}}
helm.sh/chart: {{ include "ferry.chart" . }}
{{ include "ferry.selectorLabels" . }}
{{- if .Chart.AppVersion }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/*
Selector labels
*/}}
{{- define "ferry.selectorLabels" -}}
app.kubernetes.io/name: {{ include "ferry.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
Name of the Secret holding the bearer token, empty when there is none.
*/}}
{{- define "ferry.tokenSecretName" -}}
{{- if .Values.auth.existingSecret }}
{{- .Values.auth.existingSecret }}
{{- else if .Values.auth.bearerToken }}
{{- include "ferry.fullname" . }}
{{- end }}
{{- end }}

{{/*
Key of the bearer token in that Secret.
*/}}
{{- define "ferry.tokenSecretKey" -}}
{{- if .Values.auth.existingSecret }}
{{- .Values.auth.existingSecretKey }}
{{- else -}}
bearer-token
{{- end }}
{{- end }}

{{/*
Name of the data volume's claim.
*/}}
{{- define "ferry.claimName" -}}
{{- default (include "ferry.fullname" .) .Values.persistentVolume.existingClaim }}
{{- end }}

{{/*
Seconds in a duration written as the application reads it: a number and an
optional unit ms, s, m, h or d ("90s", "50m", "1h"; a bare number is seconds).
Milliseconds round up to the next second.
*/}}
{{- define "ferry.durationSeconds" -}}
{{- $text := toString . | trim }}
{{- if not (regexMatch "^[0-9]+(ms|s|m|h|d)?$" $text) }}
{{- fail (printf "ferry: cannot read duration %q: use a number and a unit ms, s, m, h or d (e.g. 90s, 50m, 1h)" $text) }}
{{- end }}
{{- $digits := regexFind "^[0-9]+" $text }}
{{- $amount := $digits | int64 }}
{{- $unit := trimPrefix $digits $text }}
{{- if eq $unit "ms" }}
{{- div (add $amount 999) 1000 }}
{{- else if eq $unit "m" }}
{{- mul $amount 60 }}
{{- else if eq $unit "h" }}
{{- mul $amount 3600 }}
{{- else if eq $unit "d" }}
{{- mul $amount 86400 }}
{{- else }}
{{- $amount }}
{{- end }}
{{- end }}

{{/*
The Job's activeDeadlineSeconds: ferry.run.max-duration plus a margin, so
Kubernetes only stops a run that overran the deadline ferry keeps itself.
*/}}
{{- define "ferry.activeDeadlineSeconds" -}}
{{- $maxDuration := include "ferry.durationSeconds" .Values.config.run.maxDuration | int64 }}
{{- add $maxDuration .Values.cronjob.deadlineMarginSeconds }}
{{- end }}

{{/*
terminationGracePeriodSeconds: the request timeout (application default 10s)
plus a margin, so requests in flight at SIGTERM end before the checkpoint.
*/}}
{{- define "ferry.terminationGracePeriodSeconds" -}}
{{- $timeout := include "ferry.durationSeconds" (.Values.config.request.timeout | default "10s") | int64 }}
{{- add $timeout .Values.terminationGraceMarginSeconds }}
{{- end }}

{{/*
One configuration value as an environment variable value: lists are joined
with commas, whole numbers lose the ".0" (and exponent) YAML numbers get in Go.
*/}}
{{- define "ferry.envValue" -}}
{{- if kindIs "slice" . }}
{{- $items := list }}
{{- range . }}
{{- $items = append $items (include "ferry.envValue" .) }}
{{- end }}
{{- join "," $items }}
{{- else if and (kindIs "float64" .) (eq (float64 (int64 .)) .) }}
{{- int64 . }}
{{- else }}
{{- toString . }}
{{- end }}
{{- end }}

{{/*
The ferry.* properties set in values, as environment variable name -> value
(ferry.retry.max-retries -> FERRY_RETRY_MAX_RETRIES). Values left empty are
skipped so the application's defaults apply. The bearer token is not here: it
comes from a Secret.
*/}}
{{- define "ferry.configEnv" -}}
{{- $c := .Values.config }}
{{- $properties := list
  (list "FERRY_DATA_DIR" .Values.persistentVolume.mountPath)
  (list "FERRY_INBOX_SETTLE" $c.inbox.settle)
  (list "FERRY_DONE_RETENTION" $c.done.retention)
  (list "FERRY_RECORD_KEY_FIELD" $c.record.keyField)
  (list "FERRY_RECORD_MAX_BYTES" $c.record.maxBytes)
  (list "FERRY_TARGET_URL" $c.target.url)
  (list "FERRY_TARGET_PATH" $c.target.path)
  (list "FERRY_TARGET_METHOD" $c.target.method)
  (list "FERRY_REQUEST_TIMEOUT" $c.request.timeout)
  (list "FERRY_RETRY_ON_STATUS" $c.retry.onStatus)
  (list "FERRY_RETRY_MAX_RETRIES" $c.retry.maxRetries)
  (list "FERRY_RETRY_INITIAL_DELAY" $c.retry.initialDelay)
  (list "FERRY_RETRY_MAX_DELAY" $c.retry.maxDelay)
  (list "FERRY_RETRY_JITTER" $c.retry.jitter)
  (list "FERRY_RETRY_BUDGET" $c.retry.budget)
  (list "FERRY_BREAKER_FAILURE_THRESHOLD" $c.breaker.failureThreshold)
  (list "FERRY_BREAKER_DELAY" $c.breaker.delay)
  (list "FERRY_DELIVERY_CONCURRENCY" $c.delivery.concurrency)
  (list "FERRY_DELIVERY_RATE_LIMIT" $c.delivery.rateLimit)
  (list "FERRY_RUN_MAX_DURATION" $c.run.maxDuration)
  (list "FERRY_METRICS_PUSHGATEWAY_URL" .Values.metrics.pushgatewayUrl)
  (list "FERRY_METRICS_PUSH_INTERVAL" .Values.metrics.pushInterval)
  (list "FERRY_METRICS_GROUPING_INSTANCE" (default (include "ferry.fullname" .) .Values.metrics.instance))
  (list "FERRY_VERIFY_RATE" $c.verify.rate)
  (list "FERRY_VERIFY_PATH" $c.verify.path)
  (list "FERRY_VERIFY_FIELDS" $c.verify.fields)
  (list "FERRY_VERIFY_SCHEDULE" $c.verify.schedule)
  (list "FERRY_SCHEDULE" $c.schedule)
}}
{{- range $properties }}
{{- $value := index . 1 }}
{{- if or (kindIs "float64" $value) (kindIs "int64" $value) (kindIs "int" $value) (not (empty $value)) }}
{{ index . 0 }}: {{ include "ferry.envValue" $value | quote }}
{{- end }}
{{- end }}
{{- end }}

{{/*
The pod spec shared by the CronJob and the Deployment.
Call with (dict "root" $ "args" (list "run")).
*/}}
{{- define "ferry.podSpec" -}}
{{- with .root -}}
automountServiceAccountToken: {{ .Values.automountServiceAccountToken }}
{{- with .Values.serviceAccountName }}
serviceAccountName: {{ . }}
{{- end }}
terminationGracePeriodSeconds: {{ include "ferry.terminationGracePeriodSeconds" . }}
{{- with .Values.priorityClassName }}
priorityClassName: {{ . | quote }}
{{- end }}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.securityContext }}
securityContext:
  {{- toYaml . | nindent 2 }}
{{- end }}
containers:
  - name: ferry
    image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"
    imagePullPolicy: {{ .Values.image.pullPolicy }}
    args:
      {{- toYaml $.args | nindent 6 }}
    envFrom:
      - configMapRef:
          name: {{ include "ferry.fullname" . }}
    {{- $tokenSecret := include "ferry.tokenSecretName" . }}
    {{- if or $tokenSecret (eq .Values.mode "deployment") .Values.extraEnv }}
    env:
      {{- if $tokenSecret }}
      - name: FERRY_TARGET_BEARER_TOKEN
        valueFrom:
          secretKeyRef:
            name: {{ $tokenSecret }}
            key: {{ include "ferry.tokenSecretKey" . }}
      {{- end }}
      {{- if eq .Values.mode "deployment" }}
      - name: QUARKUS_HTTP_HOST_ENABLED
        value: "true"
      {{- end }}
      {{- with .Values.extraEnv }}
      {{- toYaml . | nindent 6 }}
      {{- end }}
    {{- end }}
    {{- if eq .Values.mode "deployment" }}
    ports:
      - name: http
        containerPort: 8080
        protocol: TCP
    {{- with .Values.deployment.livenessProbe }}
    livenessProbe:
      {{- toYaml . | nindent 6 }}
    {{- end }}
    {{- with .Values.deployment.readinessProbe }}
    readinessProbe:
      {{- toYaml . | nindent 6 }}
    {{- end }}
    {{- end }}
    {{- with .Values.resources }}
    resources:
      {{- toYaml . | nindent 6 }}
    {{- end }}
    {{- with .Values.containerSecurityContext }}
    securityContext:
      {{- toYaml . | nindent 6 }}
    {{- end }}
    volumeMounts:
      - name: data
        mountPath: {{ .Values.persistentVolume.mountPath | quote }}
        {{- with .Values.persistentVolume.subPath }}
        subPath: {{ . | quote }}
        {{- end }}
      - name: tmp
        mountPath: /tmp
{{- with .Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
volumes:
  - name: data
  {{- if .Values.persistentVolume.enabled }}
    persistentVolumeClaim:
      claimName: {{ include "ferry.claimName" . }}
  {{- else }}
    emptyDir: {}
  {{- end }}
  - name: tmp
    emptyDir: {}
{{- end }}
{{- end }}

{{/*
Pod template metadata shared by the CronJob and the Deployment: labels and
annotations, with checksums so a Deployment rolls when its config changes.
*/}}
{{- define "ferry.podMetadata" -}}
labels:
  {{- include "ferry.labels" . | nindent 2 }}
  {{- with .Values.podLabels }}
  {{- toYaml . | nindent 2 }}
  {{- end }}
annotations:
  checksum/config: {{ include (print .Template.BasePath "/configmap.yaml") . | sha256sum }}
  checksum/secret: {{ include (print .Template.BasePath "/secret.yaml") . | sha256sum }}
  {{- with .Values.podAnnotations }}
  {{- toYaml . | nindent 2 }}
  {{- end }}
{{- end }}
