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
The auth modes whose credential is a secret, by their ferry.target.auth name:
the block of `auth` holding the mode's Secret reference, the field of that
block with a development value (for a chart-created Secret), the property
under config.target that names the file (in `group`, "" for config.target
itself), and the file's name in ferry.secretsDir. `none` has no secret.
*/}}
{{- define "ferry.authModes" -}}
{{- dict
    "bearer" (dict "block" "bearer" "inline" "token" "group" "" "property" "bearerTokenFile" "file" "bearer-token")
    "oauth2" (dict "block" "oauth2" "inline" "clientSecret" "group" "oauth2" "property" "clientSecretFile" "file" "oauth2-client-secret")
    "api-key" (dict "block" "apiKey" "inline" "value" "group" "apiKey" "property" "valueFile" "file" "api-key")
    "basic" (dict "block" "basic" "inline" "password" "group" "basic" "property" "passwordFile" "file" "basic-password")
  | toJson }}
{{- end }}

{{/*
The credential of auth.mode as JSON: the Secret it is mounted from (name, key;
chartCreated when it is the development value of the mode's block, in a Secret
named after the release), the file it becomes (path), and the mode's row of
ferry.authModes. {} when the mode has no secret (none, or no mode).
*/}}
{{- define "ferry.authSecret" -}}
{{- $mode := get (include "ferry.authModes" . | fromJson) (.Values.auth.mode | default "") }}
{{- if $mode }}
{{- $block := index .Values.auth $mode.block }}
{{- $source := dict "name" $block.existingSecret "key" $block.existingSecretKey "chartCreated" false }}
{{- if not $block.existingSecret }}
{{- $source = dict "name" (include "ferry.fullname" .) "key" $mode.file "chartCreated" true }}
{{- end }}
{{- $_ := set $source "path" (printf "%s/%s" (include "ferry.secretsDir" .) $mode.file) }}
{{- merge $source $mode | toJson }}
{{- else -}}
{}
{{- end }}
{{- end }}

{{/*
The files of `tls` as JSON: the property under config.target.tls of each file
the chart mounts (caFile, certFile, keyFile) and its path in ferry.tlsDir. {}
when `tls` mounts nothing.
*/}}
{{- define "ferry.tlsFiles" -}}
{{- $dir := include "ferry.tlsDir" . }}
{{- $files := dict }}
{{- if or .Values.tls.caBundle.configMap .Values.tls.caBundle.secret }}
{{- $_ := set $files "caFile" (printf "%s/ca.crt" $dir) }}
{{- end }}
{{- if .Values.tls.clientCert.existingSecret }}
{{- $_ := set $files "certFile" (printf "%s/client.crt" $dir) }}
{{- $_ := set $files "keyFile" (printf "%s/client.key" $dir) }}
{{- end }}
{{- $files | toJson }}
{{- end }}

{{/*
Where the credential of auth.mode is mounted (docs/auth.md's recommended paths).
*/}}
{{- define "ferry.secretsDir" -}}
/etc/ferry/secrets
{{- end }}

{{/*
Where the files of `tls` are mounted.
*/}}
{{- define "ferry.tlsDir" -}}
/etc/ferry/tls
{{- end }}

{{/*
Name of the data volume's claim.
*/}}
{{- define "ferry.claimName" -}}
{{- default (include "ferry.fullname" .) .Values.persistentVolume.existingClaim }}
{{- end }}

{{/*
Name of the pod's ServiceAccount: the chart-created one (serviceAccount.create), an
existing one (serviceAccount.name), or empty for the namespace's `default`.
*/}}
{{- define "ferry.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "ferry.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- .Values.serviceAccount.name }}
{{- end }}
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
The CronJobs' names: the API server refuses one longer than 52 characters (the
Jobs it starts add 11), so a long full name is cut for them.
*/}}
{{- define "ferry.cronJobName" -}}
{{- include "ferry.fullname" . | trunc 52 | trimSuffix "-" }}
{{- end }}

{{- define "ferry.verifyCronJobName" -}}
{{- include "ferry.fullname" . | trunc 45 | trimSuffix "-" }}-verify
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
How many shards deliver a run (`shards`), as a number.
*/}}
{{- define "ferry.shards" -}}
{{- .Values.shards | default 1 | int }}
{{- end }}

{{/*
The retry and completion fields of a Job's spec: one pod, or with `shards` > 1
an Indexed Job of that many pods at once, each a shard (ferry.shard.index is
its completion index). Where Kubernetes counts failures per index (1.29+), a
shard that fails is retried on its own and never uses up the others' retries.
Call with (dict "root" $ "backoffLimit" N).
*/}}
{{- define "ferry.jobShards" -}}
{{- $shards := include "ferry.shards" .root | int }}
{{- if gt $shards 1 }}
completionMode: Indexed
completions: {{ $shards }}
parallelism: {{ $shards }}
{{- if semverCompare ">=1.29-0" .root.Capabilities.KubeVersion.Version }}
backoffLimitPerIndex: {{ .backoffLimit }}
{{- else }}
backoffLimit: {{ mul .backoffLimit $shards }}
{{- end }}
{{- else }}
backoffLimit: {{ .backoffLimit }}
{{- end }}
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
The map-typed ferry.* properties (relative to ferry.): their keys are names
chosen by the user (a label, a header, a record field) that environment
variable names cannot carry (case, "_", "-", "."), so their entries go to a
properties file instead (ferry.mapEntries). Everything else under `config`
is a group or a property.
*/}}
{{- define "ferry.mapProperties" -}}
{{- list "metrics.grouping" "target.headers" "record.types" "record.rename" "record.set" | toJson }}
{{- end }}

{{/*
Walks `config` (and `metrics`): each leaf becomes one ferry.* property, its
name the path with camelCase keys in kebab-case (retry.maxRetries ->
ferry.retry.max-retries). Fills .env (FERRY_RETRY_MAX_RETRIES -> value) and,
for the map-typed properties, .entries (exact property name -> value). Empty
values ("", null, [], {}) are skipped so the application's default applies;
false and 0 are values.
Call with (dict "node" $values "property" "ferry" "env" $env "entries" $entries "maps" $maps).
*/}}
{{- define "ferry.flattenConfig" -}}
{{- $ctx := . }}
{{- range $key, $value := .node }}
{{- $property := printf "%s.%s" $ctx.property (kebabcase $key) }}
{{- if has (trimPrefix "ferry." $property) $ctx.maps }}
{{- range $entry, $entryValue := $value }}
{{- if not (regexMatch "^[A-Za-z0-9_.-]+$" $entry) }}
{{- fail (printf "ferry: %s: the key %q can only hold letters, digits, '_', '-' and '.'" $property $entry) }}
{{- end }}
{{- $name := ternary (printf "%s.%q" $property $entry) (printf "%s.%s" $property $entry) (contains "." $entry) }}
{{- $_ := set $ctx.entries $name (include "ferry.envValue" $entryValue) }}
{{- end }}
{{- else if kindIs "map" $value }}
{{- include "ferry.flattenConfig" (dict "node" $value "property" $property "env" $ctx.env "entries" $ctx.entries "maps" $ctx.maps) }}
{{- else if or (kindIs "bool" $value) (kindIs "float64" $value) (kindIs "int64" $value) (kindIs "int" $value) (not (empty $value)) }}
{{- $_ := set $ctx.env ($property | replace "." "_" | replace "-" "_" | upper) (include "ferry.envValue" $value) }}
{{- end }}
{{- end }}
{{- end }}

{{/*
The ferry.* properties set in values, as the two dicts of ferry.flattenConfig,
returned as JSON {"env": {...}, "entries": {...}}. Besides `config`: the data
dir (persistentVolume.mountPath), the Pushgateway (`metrics`), the shard count
(`shards`, when more than 1), the work-left
exit code 0 in cronjob mode (a Job with work left succeeds; the metrics keep
75), Quarkus' logging (`logging`), and what `auth` and `tls` mount: the mode
and the paths of the files. No secret is here: those are files on volumes.
*/}}
{{- define "ferry.settings" -}}
{{- $env := dict "FERRY_DATA_DIR" .Values.persistentVolume.mountPath }}
{{- $entries := dict }}
{{- $maps := include "ferry.mapProperties" . | fromJsonArray }}
{{- $config := deepCopy .Values.config }}
{{- if and (eq .Values.mode "cronjob") (kindIs "invalid" (dig "run" "workLeftExitCode" nil $config)) }}
{{- $_ := set $config.run "workLeftExitCode" 0 }}
{{- end }}
{{- $target := $config.target | default dict }}
{{- $_ := set $config "target" $target }}
{{- with .Values.auth.mode }}
{{- $_ := set $target "auth" . }}
{{- end }}
{{- with include "ferry.authSecret" . | fromJson }}
{{- $group := $target }}
{{- if .group }}
{{- $group = index $target .group | default dict }}
{{- $_ := set $target .group $group }}
{{- end }}
{{- $_ := set $group .property .path }}
{{- end }}
{{- with include "ferry.tlsFiles" . | fromJson }}
{{- $_ := set $target "tls" (merge . ($target.tls | default dict)) }}
{{- end }}
{{- include "ferry.flattenConfig" (dict "node" $config "property" "ferry" "env" $env "entries" $entries "maps" $maps) }}
{{- $metrics := dict "pushgatewayUrl" .Values.metrics.pushgatewayUrl "pushInterval" .Values.metrics.pushInterval "grouping" .Values.metrics.grouping }}
{{- include "ferry.flattenConfig" (dict "node" $metrics "property" "ferry.metrics" "env" $env "entries" $entries "maps" $maps) }}
{{- /* stable across CronJob runs, so every run replaces the same Pushgateway group (a pod name would leave one per run) */}}
{{- $_ := set $env "FERRY_METRICS_GROUPING_INSTANCE" (default (include "ferry.fullname" .) .Values.metrics.instance) }}
{{- $shards := include "ferry.shards" . | int }}
{{- if gt $shards 1 }}
{{- $_ := set $env "FERRY_SHARD_COUNT" (toString $shards) }}
{{- end }}
{{- with .Values.logging }}
{{- if not (kindIs "invalid" .json) }}
{{- $_ := set $env "QUARKUS_LOG_CONSOLE_JSON_ENABLED" (toString .json) }}
{{- end }}
{{- with .level }}
{{- $_ := set $env "QUARKUS_LOG_LEVEL" . }}
{{- end }}
{{- range $category, $level := .categories }}
{{- $_ := set $env (printf "QUARKUS_LOG_CATEGORY__%s__LEVEL" ($category | replace "." "_" | replace "-" "_" | upper)) $level }}
{{- end }}
{{- end }}
{{- if $entries }}
{{- $_ := set $env "QUARKUS_CONFIG_LOCATIONS" (printf "%s/%s" (include "ferry.propertiesDir" .) "ferry.properties") }}
{{- end }}
{{- dict "env" $env "entries" $entries | toJson }}
{{- end }}

{{/*
Name of the ConfigMap holding that properties file.
*/}}
{{- define "ferry.propertiesConfigMapName" -}}
{{- include "ferry.fullname" . | trunc 52 | trimSuffix "-" }}-properties
{{- end }}

{{/*
What the process exits with when work is left, as ferry.settings renders it
(75, the application's default, when it renders nothing).
*/}}
{{- define "ferry.workLeftExitCode" -}}
{{- (include "ferry.settings" . | fromJson).env.FERRY_RUN_WORK_LEFT_EXIT_CODE | default "75" }}
{{- end }}

{{/*
Where the properties file of the map-typed entries is mounted: a directory of
its own, beside (not above) ferry.secretsDir and ferry.tlsDir, so that no
volume is mounted inside another.
*/}}
{{- define "ferry.propertiesDir" -}}
/etc/ferry/config
{{- end }}

{{/*
The environment of ferry.settings as ConfigMap data.
*/}}
{{- define "ferry.configEnv" -}}
{{- $settings := include "ferry.settings" . | fromJson }}
{{- range $name, $value := $settings.env }}
{{ $name }}: {{ $value | quote }}
{{- end }}
{{- end }}

{{/*
The map-typed entries of ferry.settings as a Java properties file (values
escaped as the format wants).
*/}}
{{- define "ferry.propertiesFile" -}}
{{- $settings := include "ferry.settings" . | fromJson }}
{{- range $name, $value := $settings.entries }}
{{ $name }}={{ $value | replace "\\" "\\\\" | replace "\n" "\\n" }}
{{- end }}
{{- end }}

{{/*
The ferry container, with the args given. Call with (dict "root" $ "args" (list "run")).
*/}}
{{- define "ferry.container" -}}
{{- with .root -}}
- name: ferry
  image: {{ include "ferry.image" . }}
  imagePullPolicy: {{ .Values.image.pullPolicy }}
  args:
    {{- toYaml $.args | nindent 4 }}
  envFrom:
    - configMapRef:
        name: {{ include "ferry.fullname" . }}
    {{- with .Values.extraEnvFrom }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  {{- if or .Values.metrics.namespaceLabel (eq .Values.mode "deployment") .Values.extraEnv (gt (include "ferry.shards" . | int) 1) }}
  env:
    {{- if gt (include "ferry.shards" . | int) 1 }}
    # this pod's shard: its completion index in the Indexed Job
    - name: FERRY_SHARD_INDEX
      valueFrom:
        fieldRef:
          fieldPath: metadata.annotations['batch.kubernetes.io/job-completion-index']
    {{- end }}
    {{- if .Values.metrics.namespaceLabel }}
    # the namespace as a Pushgateway grouping label: two releases of one name in two namespaces stay apart
    - name: FERRY_METRICS_GROUPING_NAMESPACE
      valueFrom:
        fieldRef:
          fieldPath: metadata.namespace
    {{- end }}
    {{- if eq .Values.mode "deployment" }}
    - name: QUARKUS_HTTP_HOST_ENABLED
      value: "true"
    {{- end }}
    {{- with .Values.extraEnv }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  {{- end }}
  {{- if eq .Values.mode "deployment" }}
  ports:
    - name: http
      containerPort: 8080
      protocol: TCP
  {{- with .Values.deployment.livenessProbe }}
  livenessProbe:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.deployment.readinessProbe }}
  readinessProbe:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- end }}
  {{- with .Values.resources }}
  resources:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.containerSecurityContext }}
  securityContext:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  volumeMounts:
    - name: data
      mountPath: {{ .Values.persistentVolume.mountPath | quote }}
      {{- with .Values.persistentVolume.subPath }}
      subPath: {{ . | quote }}
      {{- end }}
    - name: tmp
      mountPath: /tmp
    {{- if (include "ferry.settings" . | fromJson).entries }}
    - name: properties
      mountPath: {{ include "ferry.propertiesDir" . }}
      readOnly: true
    {{- end }}
    {{- if include "ferry.authSecret" . | fromJson }}
    - name: auth
      mountPath: {{ include "ferry.secretsDir" . }}
      readOnly: true
    {{- end }}
    {{- if include "ferry.tlsFiles" . | fromJson }}
    - name: tls
      mountPath: {{ include "ferry.tlsDir" . }}
      readOnly: true
    {{- end }}
    {{- with .Values.extraVolumeMounts }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
{{- end }}
{{- end }}

{{/*
The ferry image reference.
*/}}
{{- define "ferry.image" -}}
"{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"
{{- end }}

{{/*
The pod spec shared by the CronJob, the verify CronJob and the Deployment.
Call with (dict "root" $ "args" (list "run")).
*/}}
{{- define "ferry.podSpec" -}}
{{- with .root -}}
automountServiceAccountToken: {{ .Values.automountServiceAccountToken }}
{{- with include "ferry.serviceAccountName" . }}
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
{{- with .Values.initContainers }}
initContainers:
  {{- tpl (toYaml .) $.root | nindent 2 }}
{{- end }}
containers:
  {{- include "ferry.container" $ | nindent 2 }}
  {{- with .Values.sidecars }}
  {{- tpl (toYaml .) $.root | nindent 2 }}
  {{- end }}
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
  {{- if (include "ferry.settings" . | fromJson).entries }}
  - name: properties
    configMap:
      name: {{ include "ferry.propertiesConfigMapName" . }}
  {{- end }}
  {{- with include "ferry.authSecret" . | fromJson }}
  # the credential of auth.mode as a file, never an environment variable; the
  # whole volume (no subPath), so that Kubernetes updates the file in place
  - name: auth
    secret:
      secretName: {{ .name }}
      # 0440: root-owned, read through the pod's fsGroup
      defaultMode: 288
      items:
        - key: {{ .key | quote }}
          path: {{ base .path }}
  {{- end }}
  {{- with include "ferry.tlsFiles" . | fromJson }}
  {{- $tls := $.root.Values.tls }}
  - name: tls
    projected:
      # 0440: root-owned, read through the pod's fsGroup
      defaultMode: 288
      sources:
        {{- with .caFile }}
        - {{ ternary "configMap" "secret" (not (empty $tls.caBundle.configMap)) }}:
            name: {{ $tls.caBundle.configMap | default $tls.caBundle.secret }}
            items:
              - key: {{ $tls.caBundle.key | quote }}
                path: {{ base . }}
        {{- end }}
        {{- if .certFile }}
        - secret:
            name: {{ $tls.clientCert.existingSecret }}
            items:
              - key: tls.crt
                path: {{ base .certFile }}
              - key: tls.key
                path: {{ base .keyFile }}
        {{- end }}
  {{- end }}
  {{- with .Values.extraVolumes }}
  {{- tpl (toYaml .) $.root | nindent 2 }}
  {{- end }}
{{- end }}
{{- end }}

{{/*
Pod template metadata shared by the workloads: labels and annotations, with
checksums so a Deployment rolls when its config changes.
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
