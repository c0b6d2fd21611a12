{{/*
One role's Deployment (root, role: primary | read-replica). Both run the same image and probes;
they differ in READ_REPLICA, the secrets they get, the replica count and the update strategy.
*/}}
{{- define "ff-relay.deployment" -}}
{{- $root := .root }}
{{- $v := $root.Values }}
{{- $role := .role }}
{{- $env := include "ff-relay.env" . | fromYaml }}
{{- $pod := include "ff-relay.pod" . | fromYaml }}
{{- $ports := include "ff-relay.ports" $env | fromYaml }}
{{- $scheme := ternary "HTTPS" "HTTP" (eq (include "ff-relay.isTrue" (get $env "TLS_ENABLED")) "true") }}
{{- $name := include "ff-relay.componentName" (dict "root" $root "component" $role) }}
{{- $secretSources := list }}
{{- range $secretName := splitList " " (include "ff-relay.secretNames" .) }}
{{- with include "ff-relay.secretSource" (dict "root" $root "name" $secretName) | fromYaml }}
{{- $secretSources = append $secretSources (dict "name" $secretName "secret" .secret "key" .key) }}
{{- end }}
{{- end }}
{{/* The checksum covers this role's secrets only: a new admin token does not roll replicas. */}}
{{- $chartSecretValues := include "ff-relay.secretValues" $root | fromYaml }}
{{- $secretValues := dict }}
{{- range $secretSources }}
{{- if hasKey $chartSecretValues .name }}
{{- $_ := set $secretValues .name (get $chartSecretValues .name) }}
{{- end }}
{{- end }}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ $name }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "ff-relay.labels" $root | nindent 4 }}
    app.kubernetes.io/component: {{ $role }}
spec:
  {{- if eq $role "primary" }}
  replicas: 1
  strategy:
    {{- if $v.primary.strategy }}
    {{- toYaml $v.primary.strategy | nindent 4 }}
    {{- else if include "ff-relay.redisAddress" $root }}
    type: Recreate
    {{- else }}
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 1
      maxUnavailable: 0
    {{- end }}
  {{- else }}
  {{- if not $v.readReplica.autoscaling.enabled }}
  replicas: {{ $v.readReplica.replicaCount }}
  {{- end }}
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 25%
      maxUnavailable: 0
  {{- end }}
  revisionHistoryLimit: 5
  selector:
    matchLabels:
      {{- include "ff-relay.componentSelectorLabels" (dict "root" $root "component" $role) | nindent 6 }}
  template:
    metadata:
      annotations:
        checksum/config: {{ toYaml $env | sha256sum }}
        checksum/secret: {{ list $secretValues $secretSources | toJson | sha256sum }}
        {{- with $pod.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      labels:
        {{- include "ff-relay.labels" $root | nindent 8 }}
        app.kubernetes.io/component: {{ $role }}
        {{- with $v.podLabels }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      serviceAccountName: {{ include "ff-relay.serviceAccountName" $root }}
      # The relay never calls the Kubernetes API.
      automountServiceAccountToken: false
      {{- with $v.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $v.priorityClassName }}
      priorityClassName: {{ . }}
      {{- end }}
      securityContext:
        {{- toYaml $pod.podSecurityContext | nindent 8 }}
      terminationGracePeriodSeconds: {{ include "ff-relay.gracePeriod" (dict "root" $root "env" $env) }}
      containers:
        - name: ff-relay
          image: "{{ $v.image.repository }}:{{ $v.image.tag | default $root.Chart.AppVersion }}"
          imagePullPolicy: {{ $v.image.pullPolicy }}
          securityContext:
            {{- toYaml $pod.securityContext | nindent 12 }}
          ports:
            {{- range $portName, $port := $ports }}
            - name: {{ $portName }}
              containerPort: {{ $port }}
              protocol: TCP
            {{- end }}
          envFrom:
            - configMapRef:
                name: {{ $name }}
          {{- if or $secretSources $pod.env }}
          env:
            {{- range $secretSources }}
            - name: {{ .name }}
              valueFrom:
                secretKeyRef:
                  name: {{ .secret }}
                  key: {{ .key }}
            {{- end }}
            {{- with $pod.env }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          {{- end }}
          # Answering means boot is over (Redis found); the budget covers REDIS_STARTUP_TIMEOUT.
          # The first config load is readiness's business, which has no budget.
          startupProbe:
            httpGet:
              path: /livez
              port: http
              scheme: {{ $scheme }}
            {{- toYaml $v.probes.startup | nindent 12 }}
          # Answered by the event loop alone: a hung process fails it (it would still accept TCP),
          # a missing Redis or Harness does not (a restart would not bring them back).
          livenessProbe:
            httpGet:
              path: /livez
              port: http
              scheme: {{ $scheme }}
            {{- toYaml $v.probes.liveness | nindent 12 }}
          # 503 until config is loaded (or found in Redis); a replica until a primary filled Redis.
          readinessProbe:
            httpGet:
              path: /health
              port: http
              scheme: {{ $scheme }}
            {{- toYaml $v.probes.readiness | nindent 12 }}
          {{- if gt (int $v.preStopSleepSeconds) 0 }}
          lifecycle:
            preStop:
              exec:
                command: ["sleep", "{{ int $v.preStopSleepSeconds }}"]
          {{- end }}
          resources:
            {{- toYaml $pod.resources | nindent 12 }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
            {{- if $v.offline.enabled }}
            - name: offline-config
              mountPath: {{ $v.offline.mountPath }}
              readOnly: true
            {{- end }}
            {{- with $pod.volumeMounts }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
      volumes:
        - name: tmp
          emptyDir:
            sizeLimit: {{ $v.tmpSizeLimit }}
        {{- if $v.offline.enabled }}
        - name: offline-config
          {{- if $v.offline.volume }}
          {{- toYaml $v.offline.volume | nindent 10 }}
          {{- else }}
          configMap:
            name: {{ include "ff-relay.componentName" (dict "root" $root "component" "offline") }}
            items:
              {{- range $path, $_ := $v.offline.files }}
              - key: {{ $path | replace "/" "__" }}
                path: {{ $path }}
              {{- end }}
          {{- end }}
        {{- end }}
        {{- with $pod.volumes }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      {{- with $pod.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $pod.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $pod.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $v.topologySpreadConstraints }}
      topologySpreadConstraints:
        {{- toYaml . | nindent 8 }}
      {{- end }}
{{- end }}
