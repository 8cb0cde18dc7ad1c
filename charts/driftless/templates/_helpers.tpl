{{/* The chart's name, overridable. */}}
{{- define "driftless.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The release's full name: the prefix of every object's name. */}}
{{- define "driftless.fullname" -}}
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

{{- define "driftless.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels that select the operator's pods; never change across upgrades (Deployment selectors are immutable). */}}
{{- define "driftless.selectorLabels" -}}
app.kubernetes.io/name: {{ include "driftless.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "driftless.labels" -}}
helm.sh/chart: {{ include "driftless.chart" . }}
{{ include "driftless.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: operator
app.kubernetes.io/part-of: driftless
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "driftless.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "driftless.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "driftless.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/*
The rules the operator needs where it watches DatabaseSchemas: its resources and their status, the Secrets and
ConfigMaps they reference (read, and watched so a rotated password or an edited schema re-reconciles), and
events. One list, used by the per-namespace Roles (namespaced mode) and the ClusterRole (cluster mode), so the
two modes cannot drift apart.
*/}}
{{- define "driftless.watchRules" -}}
- apiGroups: [driftless.dev]
  resources: [databaseschemas]
  verbs: [get, list, watch]
# status is written with server-side apply (a patch); the spec is never written
- apiGroups: [driftless.dev]
  resources: [databaseschemas/status]
  verbs: [get, patch]
- apiGroups: [""]
  resources: [secrets, configmaps]
  verbs: [get, list, watch]
# events.k8s.io/v1 only: the operator records no core/v1 events
- apiGroups: [events.k8s.io]
  resources: [events]
  verbs: [create, patch]
{{- end }}

{{/*
Fails rendering on combinations that cannot work, with a message naming the values to change. Single values
(types, enums, namespace names, unknown keys) are checked by values.schema.json.
*/}}
{{- define "driftless.validate" -}}
{{- if and (gt (int .Values.replicaCount) 1) (not .Values.leaderElection.enabled) }}
{{- fail "replicaCount > 1 needs leaderElection.enabled=true: two operators without a lease would both reconcile" }}
{{- end }}
{{- if and .Values.monitoring.enableServiceMonitor (not .Values.service.enabled) }}
{{- fail "monitoring.enableServiceMonitor needs service.enabled=true (a ServiceMonitor scrapes through the Service)" }}
{{- end }}
{{- end }}
