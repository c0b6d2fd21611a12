import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { merge } from './helm-chart.js';

// The Harness ff-proxy chart's values (test/fixtures/harness-ff-proxy-values.yaml) and variants
// of them, rendered by ff-relay's chart. Names are those of the release `relay` with the
// fixture's nameOverride (ff-proxy), which keeps the Harness chart's Service names.
export const HARNESS: Record<string, any> = parse(
  readFileSync(new URL('../fixtures/harness-ff-proxy-values.yaml', import.meta.url), 'utf8'),
);
/** Every key of the Harness chart's values.yaml (charts/ff-proxy 0.1.15), and its commented-out memory target. */
export const HARNESS_KEYS =
  `proxyKey existingProxyKey authSecret existingAuthSecret redis.address redis.db
redis.password redis.existingPassword image.repository image.pullPolicy image.tag imagePullSecrets
nameOverride fullnameOverride serviceAccount.create serviceAccount.annotations serviceAccount.name
writer.enabled writer.service.enabled writer.service.type writer.service.port writer.istio.enabled
writer.istio.gateways writer.istio.hosts writer.istio.tls.enabled writer.istio.tls.port
writer.istio.port writer.istio.resources writer.resources writer.ingress.enabled
writer.ingress.className writer.ingress.annotations writer.ingress.hosts writer.ingress.tls
writer.podAnnotations writer.podSecurityContext writer.securityContext writer.nodeSelector
writer.tolerations writer.affinity writer.custom_envs writer.custom_mounts writer.custom_volumes
readReplica.enabled readReplica.service.type readReplica.service.port readReplica.istio.enabled
readReplica.istio.gateways readReplica.istio.hosts readReplica.istio.tls.enabled
readReplica.istio.tls.port readReplica.replicaCount readReplica.resources
readReplica.autoscaling.enabled readReplica.autoscaling.minReplicas readReplica.autoscaling.maxReplicas
readReplica.autoscaling.targetCPUUtilizationPercentage
readReplica.autoscaling.targetMemoryUtilizationPercentage readReplica.ingress.enabled
readReplica.ingress.className readReplica.ingress.annotations readReplica.ingress.hosts
readReplica.ingress.tls readReplica.podAnnotations readReplica.podSecurityContext
readReplica.securityContext readReplica.nodeSelector readReplica.tolerations readReplica.affinity
readReplica.custom_envs readReplica.custom_mounts readReplica.custom_volumes clientService
metricService metricPostDuration heartbeatInterval port tls.enabled tls.certPath tls.keyPath
bypassAuth logLevel gcpProfilerEnabled pprof metricsStreamMaxLen canary.enabled canary.sdkKey
canary.flagId canary.connectionAddress canary.image.repository canary.image.pullPolicy
canary.image.tag canary.resources`.split(/\s+/);

export const H_PRIMARY = 'relay-ff-proxy-primary';
export const H_REPLICA = 'relay-ff-proxy-read-replica';
export const H_SECRET = 'relay-ff-proxy';
export const H_CANARY = 'relay-ff-proxy-canary';

/** The Harness chart's defaults that matter, as a minimal values file of that chart. */
export const HARNESS_MINIMAL = {
  image: { repository: 'registry.example.com/ff-relay' },
  nameOverride: 'ff-proxy',
  proxyKey: 'pk-minimal',
  authSecret: 'as-minimal',
  redis: { address: 'redis:6379', db: 0 },
  writer: { enabled: true, service: { enabled: false, type: 'ClusterIP', port: 7000 } },
  readReplica: { enabled: true, replicaCount: 2, autoscaling: { enabled: false } },
  tls: { enabled: false },
};

export const HARNESS_VARIANTS: Record<string, object> = {
  'Harness: every key': HARNESS,
  'Harness: minimal': HARNESS_MINIMAL,
  'Harness: read replicas only (writer.enabled=false)': merge(HARNESS_MINIMAL, {
    writer: { enabled: false },
    canary: { enabled: true, sdkKey: 'canary-key' },
  }),
  'Harness: single pod (readReplica.enabled=false), writer service and canary': merge(
    HARNESS_MINIMAL,
    {
      readReplica: { enabled: false },
      writer: { service: { enabled: true } },
      canary: { enabled: true, sdkKey: 'canary-key' },
    },
  ),
};
