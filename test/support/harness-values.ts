import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { merge } from './helm-chart.js';

// The Harness ff-proxy chart's values (test/fixtures/harness-ff-proxy-values.yaml) and variants
// of them, rendered by ff-relay's chart. Names are those of the release `relay` with the
// fixture's nameOverride (ff-proxy), which keeps the Harness chart's Service names.
export const HARNESS: Record<string, any> = parse(
  readFileSync(new URL('../fixtures/harness-ff-proxy-values.yaml', import.meta.url), 'utf8'),
);
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
