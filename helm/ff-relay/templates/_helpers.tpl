{{/* Names and labels. */}}
{{- define "ff-relay.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "ff-relay.fullname" -}}
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

{{/* <fullname>-<component>, the component kept whole within 63 characters. */}}
{{- define "ff-relay.componentName" -}}
{{- $suffix := printf "-%s" .component }}
{{- printf "%s%s" (include "ff-relay.fullname" .root | trunc (int (sub 63 (len $suffix))) | trimSuffix "-") $suffix }}
{{- end }}

{{- define "ff-relay.selectorLabels" -}}
app.kubernetes.io/name: {{ include "ff-relay.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "ff-relay.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "ff-relay.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Selector labels of one component (primary, read-replica). */}}
{{- define "ff-relay.componentSelectorLabels" -}}
{{ include "ff-relay.selectorLabels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "ff-relay.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "ff-relay.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Redis address from config.REDIS_ADDRESS or the Harness chart's redis.address. */}}
{{- define "ff-relay.redisAddress" -}}
{{- get (include "ff-relay.config" . | fromYaml) "REDIS_ADDRESS" | default "" }}
{{- end }}

{{/* The roles rendered, space-separated: primary (unless writer.enabled=false), read-replica. */}}
{{- define "ff-relay.roles" -}}
{{- $roles := list }}
{{- if include "ff-relay.primaryEnabled" . }}{{ $roles = append $roles "primary" }}{{ end }}
{{- if include "ff-relay.replicasEnabled" . }}{{ $roles = append $roles "read-replica" }}{{ end }}
{{- join " " $roles }}
{{- end }}

{{/* The role SDKs reach: the replicas when rendered, else the primary. */}}
{{- define "ff-relay.sdkRole" -}}
{{- ternary "read-replica" "primary" (eq (include "ff-relay.replicasEnabled" .) "true") }}
{{- end }}

{{/* "true" when the read-replica Deployment is rendered: enabled, Redis set, not offline. */}}
{{- define "ff-relay.replicasEnabled" -}}
{{- if and .Values.readReplica.enabled (include "ff-relay.redisAddress" .) (not .Values.offline.enabled) }}true{{ end }}
{{- end }}

{{/*
An environment value as a ConfigMap string: YAML numbers reach templates as float64, which
`toString` would print as 1.048576e+06.
*/}}
{{- define "ff-relay.envString" -}}
{{- if kindIs "float64" . }}{{ int64 . }}{{ else }}{{ toString . }}{{ end }}
{{- end }}

{{/*
The non-secret environment of one role (root, role: primary | read-replica) as YAML: `config`
(with the Harness chart's names for its variables), then the role's overrides, then what the chart decides (READ_REPLICA, OFFLINE, CONFIG_DIR).
Empty and null values are left out: the proxy treats them as unset anyway.
*/}}
{{- define "ff-relay.env" -}}
{{- $v := .root.Values }}
{{- $env := dict }}
{{- $overrides := ternary $v.primary.config $v.readReplica.config (eq .role "primary") }}
{{- range $source := list (include "ff-relay.config" .root | fromYaml) $overrides }}
{{- range $name, $value := $source }}
{{- if not (or (kindIs "invalid" $value) (eq (toString $value) "")) }}
{{- $_ := set $env $name (include "ff-relay.envString" $value) }}
{{- end }}
{{- end }}
{{- end }}
{{- $_ := set $env "PORT" (get $env "PORT" | default "7000" | toString) }}
{{- $_ := set $env "READ_REPLICA" (ternary "false" "true" (eq .role "primary")) }}
{{- if $v.offline.enabled }}
{{- $_ := set $env "OFFLINE" "true" }}
{{- $_ := set $env "CONFIG_DIR" $v.offline.mountPath }}
{{- end }}
{{- if and (not (hasKey $env "TRUSTED_PROXIES")) (has .role (splitList " " (include "ff-relay.ingressRoles" .root))) }}
{{- /* Clients arrive through the ingress controller: believe the hop it adds. */}}
{{- $_ := set $env "TRUSTED_PROXIES" "1" }}
{{- end }}
{{- toYaml $env }}
{{- end }}

{{/* The roles an Ingress of this chart routes to, space-separated (ingress, and the Harness names). */}}
{{- define "ff-relay.ingressRoles" -}}
{{- $roles := list }}
{{- if .Values.ingress.enabled }}{{ $roles = append $roles (include "ff-relay.sdkRole" .) }}{{ end }}
{{- if dig "ingress" "enabled" false .Values.readReplica }}{{ $roles = append $roles "read-replica" }}{{ end }}
{{- if dig "ingress" "enabled" false (.Values.writer | default dict) }}{{ $roles = append $roles "primary" }}{{ end }}
{{- join " " (uniq $roles) }}
{{- end }}

{{/*
Refuses a route from outside (an Ingress or Istio VirtualService, `what`) to a role whose /metrics
is served on the `http` port it routes to (root, role, what).
*/}}
{{- define "ff-relay.metricsNotRouted" -}}
{{- $ports := include "ff-relay.ports" (include "ff-relay.env" (dict "root" .root "role" .role) | fromYaml) | fromYaml }}
{{- if not $ports.metrics }}
{{- fail (printf "config.PROMETHEUS_PORT: %s routes to the %s pods' http port, which would serve /metrics publicly; give /metrics a port of its own (the chart's default, 9091)" .what .role) }}
{{- end }}
{{- end }}

{{/*
Where one secret variable comes from (root, name), as YAML {secret, key, value?}, or "" when not
set: secrets.<name> or the Harness chart's names (proxyKey/existingProxyKey, authSecret/
existingAuthSecret, redis.password/redis.existingPassword; there an existing Secret takes
precedence over a value, as in that chart). `value` is set when the chart's own Secret holds it.
A value together with an existingSecret, or both vocabularies naming different sources, is
refused rather than one silently winning.
*/}}
{{- define "ff-relay.secretSource" -}}
{{- $v := .root.Values }}
{{- $spec := get $v.secrets .name | default dict }}
{{- $redis := $v.redis | default dict }}
{{- $harness := dict "PROXY_KEY" (list "proxyKey" $v.proxyKey $v.existingProxyKey) "AUTH_SECRET" (list "authSecret" $v.authSecret $v.existingAuthSecret) "REDIS_PASSWORD" (list "redis.password" $redis.password $redis.existingPassword) }}
{{- $fullname := include "ff-relay.fullname" .root }}
{{- if and $spec.value $spec.existingSecret }}
{{- fail (printf "secrets.%s: set either a value or existingSecret, not both" .name) }}
{{- end }}
{{- $ours := dict }}
{{- if $spec.existingSecret }}
{{- $ours = dict "secret" $spec.existingSecret "key" ($spec.existingSecretKey | default .name) }}
{{- else if $spec.value }}
{{- $ours = dict "secret" $fullname "key" .name "value" $spec.value }}
{{- end }}
{{- $theirs := dict }}
{{- with get $harness .name }}
{{- if index . 2 }}
{{- $theirs = dict "secret" (index . 2) "key" $.name }}
{{- else if index . 1 }}
{{- $theirs = dict "secret" $fullname "key" $.name "value" (index . 1) }}
{{- end }}
{{- if and $ours $theirs (ne (toJson $ours) (toJson $theirs)) }}
{{- fail (printf "secrets.%s and the Harness chart's %s (or its existing Secret) both set %s, differently; keep one" $.name (index . 0) $.name) }}
{{- end }}
{{- end }}
{{- with $ours | default $theirs }}
{{- toYaml . }}
{{- end }}
{{- end }}

{{/* The secret values the chart stores itself, as YAML name → value. */}}
{{- define "ff-relay.secretValues" -}}
{{- $root := . }}
{{- $values := dict }}
{{- range $name, $_ := .Values.secrets }}
{{- with include "ff-relay.secretSource" (dict "root" $root "name" $name) | fromYaml }}
{{- if .value }}
{{- $_ := set $values $name .value }}
{{- end }}
{{- end }}
{{- end }}
{{- toYaml $values }}
{{- end }}

{{/* Secret variables each role reads: replicas never call Harness nor serve the Admin API. */}}
{{- define "ff-relay.secretNames" -}}
{{- if eq .role "primary" }}PROXY_KEY AUTH_SECRET REDIS_PASSWORD ADMIN_API_TOKEN ADMIN_SERVICE_TOKEN{{ else }}AUTH_SECRET REDIS_PASSWORD{{ end }}
{{- end }}

{{/* Render-time checks: each names the value to set. */}}
{{- define "ff-relay.validate" -}}
{{- if regexMatch "(^|/)harness/ff-proxy$" .Values.image.repository }}
{{- fail (printf "image.repository: %s is the Harness Go proxy; this chart runs ff-relay: set your ff-relay image" .Values.image.repository) }}
{{- end }}
{{- if not (include "ff-relay.primaryEnabled" .) }}
{{- if or .Values.offline.enabled (not (include "ff-relay.replicasEnabled" .)) }}
{{- fail "writer.enabled=false leaves read replicas only, which need Redis (config.REDIS_ADDRESS or redis.address), readReplica.enabled and no offline mode" }}
{{- end }}
{{- else if and (not .Values.offline.enabled) (not (include "ff-relay.secretSource" (dict "root" . "name" "PROXY_KEY"))) }}
{{- fail "secrets.PROXY_KEY: set value or existingSecret (the Harness proxy key), or offline.enabled=true" }}
{{- end }}
{{- if not (include "ff-relay.secretSource" (dict "root" . "name" "AUTH_SECRET")) }}
{{- fail "secrets.AUTH_SECRET: set value or existingSecret (e.g. openssl rand -hex 32). It signs SDK tokens; it must be the same on every pod and across upgrades, so the chart does not generate one" }}
{{- end }}
{{- if and .Values.offline.enabled (not .Values.offline.files) (not .Values.offline.volume) }}
{{- fail "offline.enabled: give the config directory as offline.files or offline.volume" }}
{{- end }}
{{- if and .Values.offline.files .Values.offline.volume }}
{{- fail "offline: set either files or volume, not both" }}
{{- end }}
{{- if and (include "ff-relay.replicasEnabled" .) .Values.readReplica.autoscaling.enabled (not (dig "requests" "cpu" "" .Values.readReplica.resources)) }}
{{- fail "readReplica.autoscaling: a CPU utilisation target needs readReplica.resources.requests.cpu" }}
{{- end }}
{{- with dig "ADMIN_API_TOKEN" "value" "" .Values.secrets }}
{{- if lt (len .) 32 }}
{{- fail "secrets.ADMIN_API_TOKEN: at least 32 characters (the relay refuses a shorter one at boot), e.g. openssl rand -hex 32" }}
{{- end }}
{{- end }}
{{- if gt (int .Values.readReplica.autoscaling.minReplicas) (int .Values.readReplica.autoscaling.maxReplicas) }}
{{- fail "readReplica.autoscaling: minReplicas is above maxReplicas" }}
{{- end }}
{{- end }}

{{/* Seconds of a Go duration such as 25s, 1m30s or 500ms, rounded up. */}}
{{- define "ff-relay.durationSeconds" -}}
{{- $units := dict "ns" 0.000000001 "us" 0.000001 "µs" 0.000001 "ms" 0.001 "s" 1.0 "m" 60.0 "h" 3600.0 }}
{{- $total := 0.0 }}
{{- range regexFindAll "[0-9]*\\.?[0-9]+(ns|us|µs|ms|s|m|h)" (toString .) -1 }}
{{- $number := regexFind "^[0-9]*\\.?[0-9]+" . }}
{{- $total = addf $total (mulf (float64 $number) (get $units (trimPrefix $number .))) }}
{{- end }}
{{- ceil $total | int }}
{{- end }}

{{/*
terminationGracePeriodSeconds of one role (root, env): the pod is killed that long after
preStop starts, so it must cover the preStop sleep and SHUTDOWN_TIMEOUT.
*/}}
{{- define "ff-relay.gracePeriod" -}}
{{- $shutdown := include "ff-relay.durationSeconds" (get .env "SHUTDOWN_TIMEOUT" | default "25s") | int }}
{{- $needed := add $shutdown (int .root.Values.preStopSleepSeconds) }}
{{- with .root.Values.terminationGracePeriodSeconds }}
{{- if le (int .) $needed }}
{{- fail (printf "terminationGracePeriodSeconds: %d leaves no margin over preStopSleepSeconds + SHUTDOWN_TIMEOUT (%d s)" (int .) $needed) }}
{{- end }}
{{- int . }}
{{- else }}
{{- add $needed 5 }}
{{- end }}
{{- end }}

{{/* Named ports of one role's environment (YAML): http, and metrics when PROMETHEUS_PORT differs. */}}
{{- define "ff-relay.ports" -}}
{{- $ports := dict "http" (int .PORT) }}
{{- if and .PROMETHEUS_PORT (ne (toString .PROMETHEUS_PORT) (toString .PORT)) }}
{{- $_ := set $ports "metrics" (int .PROMETHEUS_PORT) }}
{{- end }}
{{- toYaml $ports }}
{{- end }}

{{/* "true" when a Go ParseBool value is true. */}}
{{- define "ff-relay.isTrue" -}}
{{- if has (toString .) (list "1" "t" "T" "TRUE" "true" "True") }}true{{ end }}
{{- end }}
