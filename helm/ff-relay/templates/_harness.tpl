{{/*
The Harness ff-proxy chart's value names, read onto ff-relay's own (helm/README.md, "Values of
the Harness ff-proxy chart"). A Harness name for a setting ff-relay also names is an alias: give
either; both given with different values fails rendering rather than one silently winning. An
ff-relay value left at its chart default counts as not given. null is the Harness chart's
"unset"; 0 and false are values (that chart could not pass them).
*/}}

{{/* Harness top-level values → environment variable (YAML: VARIABLE → {from, value}). */}}
{{- define "ff-relay.harnessEnv" -}}
{{- $v := .Values }}
{{- $tls := $v.tls | default dict }}
{{- $redis := $v.redis | default dict }}
{{- $aliases := list
  (list "clientService" $v.clientService "CLIENT_SERVICE")
  (list "metricService" $v.metricService "METRIC_SERVICE")
  (list "metricPostDuration" $v.metricPostDuration "METRIC_POST_DURATION")
  (list "heartbeatInterval" $v.heartbeatInterval "HEARTBEAT_INTERVAL")
  (list "port" $v.port "PORT")
  (list "tls.enabled" $tls.enabled "TLS_ENABLED")
  (list "tls.certPath" $tls.certPath "TLS_CERT")
  (list "tls.keyPath" $tls.keyPath "TLS_KEY")
  (list "bypassAuth" $v.bypassAuth "BYPASS_AUTH")
  (list "logLevel" $v.logLevel "LOG_LEVEL")
  (list "metricsStreamMaxLen" $v.metricsStreamMaxLen "METRICS_STREAM_MAX_LEN")
  (list "pprof" $v.pprof "PPROF")
  (list "gcpProfilerEnabled" $v.gcpProfilerEnabled "GCP_PROFILER_ENABLED")
  (list "redis.address" $redis.address "REDIS_ADDRESS")
  (list "redis.db" $redis.db "REDIS_DB") }}
{{- $env := dict }}
{{- range $aliases }}
{{- $value := index . 1 }}
{{- if not (or (kindIs "invalid" $value) (eq (toString $value) "")) }}
{{- $_ := set $env (index . 2) (dict "from" (index . 0) "value" (include "ff-relay.envString" $value)) }}
{{- end }}
{{- end }}
{{- toYaml $env }}
{{- end }}

{{/* `config` with the Harness aliases applied (YAML), refusing a disagreement. */}}
{{- define "ff-relay.config" -}}
{{- $config := deepCopy .Values.config }}
{{- range $name, $alias := include "ff-relay.harnessEnv" . | fromYaml }}
{{- $ours := get $config $name }}
{{- if and (not (kindIs "invalid" $ours)) (ne (toString $ours) "") (ne (include "ff-relay.envString" $ours) $alias.value) }}
{{- fail (printf "%s (Harness chart name) is %q but config.%s is %q: both set %s; keep one" $alias.from $alias.value $name (include "ff-relay.envString" $ours) $name) }}
{{- end }}
{{- $_ := set $config $name $alias.value }}
{{- end }}
{{- toYaml $config }}
{{- end }}

{{/*
An alias pair of structured values (ours, oursName, theirs, theirsName, default): theirs when
given, unless ours was changed from its chart default to something else.
*/}}
{{- define "ff-relay.pick" -}}
{{- if kindIs "invalid" .theirs }}
{{- toYaml (dict "value" .ours) }}
{{- else }}
{{- if and (ne (toJson .ours) (toJson .default)) (ne (toJson .ours) (toJson .theirs)) }}
{{- fail (printf "%s (Harness chart name) and %s are the same setting and differ; keep one" .theirsName .oursName) }}
{{- end }}
{{- toYaml (dict "value" .theirs) }}
{{- end }}
{{- end }}

{{/* The Harness values block of a role: writer for the primary, readReplica for replicas. */}}
{{- define "ff-relay.harnessRole" -}}
{{- toYaml (ternary (.root.Values.writer | default dict) .root.Values.readReplica (eq .role "primary")) }}
{{- end }}

{{/* primary.enabled under its Harness name: writer.enabled=false runs replicas only. */}}
{{- define "ff-relay.primaryEnabled" -}}
{{- if dig "enabled" true (.Values.writer | default dict) }}true{{ end }}
{{- end }}

{{/* One role's Service settings (root, role) as YAML {type, port, annotations}. */}}
{{- define "ff-relay.service" -}}
{{- if eq .role "primary" }}
{{- $ours := .root.Values.primary.service }}
{{- $writer := dig "service" dict (.root.Values.writer | default dict) }}
{{- $service := deepCopy $ours }}
{{- if $writer.enabled }}
{{- $defaults := dict "type" "ClusterIP" "port" 7000 }}
{{- range $key := list "type" "port" }}
{{- $pick := include "ff-relay.pick" (dict "ours" (get $ours $key) "oursName" (printf "primary.service.%s" $key) "theirs" (get $writer $key) "theirsName" (printf "writer.service.%s" $key) "default" (get $defaults $key)) | fromYaml }}
{{- $_ := set $service $key $pick.value }}
{{- end }}
{{- end }}
{{- toYaml $service }}
{{- else }}
{{- toYaml .root.Values.readReplica.service }}
{{- end }}
{{- end }}

{{/*
One role's pod settings (root, role) as YAML: ff-relay's values for every pod, with the role's
Harness ones (writer.* / readReplica.*) over them: maps key by key, lists appended.
*/}}
{{- define "ff-relay.pod" -}}
{{- $v := .root.Values }}
{{- $harness := include "ff-relay.harnessRole" . | fromYaml }}
{{- $pod := dict }}
{{- range $key := list "podAnnotations" "podSecurityContext" "securityContext" "nodeSelector" "affinity" }}
{{- $merged := deepCopy (get $v $key | default dict) }}
{{- range $name, $value := get $harness $key | default dict }}
{{- $_ := set $merged $name $value }}
{{- end }}
{{- $_ := set $pod $key $merged }}
{{- end }}
{{- $lists := dict "tolerations" (list "tolerations" "tolerations") "env" (list "extraEnv" "custom_envs") "volumeMounts" (list "extraVolumeMounts" "custom_mounts") "volumes" (list "extraVolumes" "custom_volumes") }}
{{- range $key, $names := $lists }}
{{- $_ := set $pod $key (concat (get $v (index $names 0) | default list) (get $harness (index $names 1) | default list)) }}
{{- end }}
{{- if eq .role "primary" }}
{{- $defaults := dict "requests" (dict "cpu" "1" "memory" "512Mi") "limits" (dict "memory" "1Gi") }}
{{- $pick := include "ff-relay.pick" (dict "ours" $v.primary.resources "oursName" "primary.resources" "theirs" $harness.resources "theirsName" "writer.resources" "default" $defaults) | fromYaml }}
{{- $_ := set $pod "resources" $pick.value }}
{{- else }}
{{- $_ := set $pod "resources" $v.readReplica.resources }}
{{- end }}
{{- $chartSet := keys (include "ff-relay.env" . | fromYaml) }}
{{- range $secretName := splitList " " (include "ff-relay.secretNames" .) }}
{{- if include "ff-relay.secretSource" (dict "root" $.root "name" $secretName) }}
{{- $chartSet = append $chartSet $secretName }}
{{- end }}
{{- end }}
{{- range get $harness "custom_envs" | default list }}
{{- if has .name $chartSet }}
{{- fail (printf "custom_envs: %s is set by the chart; set it through its value (config.%s, or its Harness name) instead" .name .name) }}
{{- end }}
{{- end }}
{{- toYaml $pod }}
{{- end }}
