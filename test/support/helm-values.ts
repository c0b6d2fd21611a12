import { find, merge, type Manifest } from './helm-chart.js';

// Rendered names for the release `relay`, the values variants the chart tests render, and
// accessors for the parts of a Deployment they check.
export const PRIMARY = 'relay-ff-relay-primary';
export const REPLICA = 'relay-ff-relay-read-replica';
export const CHART_SECRET = 'relay-ff-relay';
export const SECRET_VARS = [
  'PROXY_KEY',
  'AUTH_SECRET',
  'REDIS_PASSWORD',
  'ADMIN_API_TOKEN',
  'ADMIN_SERVICE_TOKEN',
] as const;
/** Set by the chart itself, so not in `config`. */
export const CHART_MANAGED = ['READ_REPLICA', 'OFFLINE', 'CONFIG_DIR', 'GENERATE_OFFLINE_CONFIG'];
export const SECRET_VALUES = {
  PROXY_KEY: 'pk-7d1e0c5b',
  AUTH_SECRET: 'as-93f2aa10',
  REDIS_PASSWORD: 'rp-4c8e21d7',
  ADMIN_API_TOKEN: 'at-b5a9e3f0-7c21d4e8-96a0b3f5-2d7e',
  ADMIN_SERVICE_TOKEN: 'st-0e6d47c2',
};

/** Primary and read replicas on Redis, every secret given as a value. */
export const HA = {
  config: { REDIS_ADDRESS: 'redis-master:6379' },
  secrets: Object.fromEntries(Object.entries(SECRET_VALUES).map(([k, v]) => [k, { value: v }])),
};
export const OFFLINE = {
  secrets: { AUTH_SECRET: { value: SECRET_VALUES.AUTH_SECRET } },
  offline: {
    enabled: true,
    files: { 'env-1234/feature_config.json': '[]', 'env-1234/auth_config.json': '[]' },
  },
};
export const EXISTING = {
  config: { REDIS_ADDRESS: 'redis-master:6379' },
  secrets: Object.fromEntries(
    SECRET_VARS.map((name) => [
      name,
      { existingSecret: `ext-${name.toLowerCase()}`, existingSecretKey: `key-${name}` },
    ]),
  ),
};
export const MONITORED = merge(HA, {
  config: { PROMETHEUS_PORT: 9091 },
  ingress: { enabled: true, className: 'nginx' },
  serviceMonitor: { enabled: true, labels: { release: 'kube-prometheus' } },
});
export const VARIANTS: Record<string, object> = {
  ha: HA,
  offline: OFFLINE,
  'replicas disabled': merge(HA, { readReplica: { enabled: false } }),
  'no redis': { secrets: HA.secrets },
  'existing secrets': EXISTING,
  'ingress, ServiceMonitor, PROMETHEUS_PORT': MONITORED,
};

export function podSpec(deployment: Manifest): Record<string, any> {
  return deployment.spec.template.spec;
}

export function container(deployment: Manifest): Record<string, any> {
  return podSpec(deployment).containers[0];
}

/** The container's environment: ConfigMap entries as strings, `env` entries as written. */
export function environment(manifests: Manifest[], deployment: Manifest): Map<string, any> {
  const env = new Map<string, any>();
  for (const source of container(deployment).envFrom ?? []) {
    const configMap = find(manifests, 'ConfigMap', source.configMapRef.name);
    for (const [name, value] of Object.entries(configMap.data ?? {})) {
      env.set(name, value);
    }
  }
  for (const entry of container(deployment).env ?? []) {
    env.set(entry.name, entry.valueFrom ?? entry.value);
  }
  return env;
}

export function matches(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}
