import {
  CHART_DIR,
  find,
  helm,
  proxyEnvVarNames,
  render,
  type Manifest,
} from '../support/helm-chart.js';
import { container, environment, matches, podSpec } from '../support/helm-values.js';
import {
  HARNESS,
  HARNESS_VARIANTS,
  H_CANARY,
  H_PRIMARY,
  H_REPLICA,
  H_SECRET,
  HARNESS_KEYS,
} from '../support/harness-values.js';

const secretText = (manifests: Manifest[], name: string, key: string): string =>
  Buffer.from(find(manifests, 'Secret', name).data[key], 'base64').toString();

describe('helm chart: a values file of the Harness ff-proxy chart', () => {
  const manifests = render(HARNESS);
  const primary = find(manifests, 'Deployment', H_PRIMARY);
  const replica = find(manifests, 'Deployment', H_REPLICA);
  const env = {
    primary: environment(manifests, primary),
    replica: environment(manifests, replica),
  };

  it('holds every key of that chart, and passes helm lint --strict in each variant', () => {
    for (const key of HARNESS_KEYS) {
      const parts = key.split('.');
      const parent = parts.slice(0, -1).reduce((o: any, part) => o?.[part], HARNESS);
      expect({
        key,
        present: parent !== undefined && Object.hasOwn(parent, parts.at(-1) ?? ''),
      }).toEqual({
        key,
        present: true,
      });
    }
    for (const values of Object.values(HARNESS_VARIANTS)) {
      const result = helm(['lint', '--strict', CHART_DIR], values);
      expect(result.stdout + result.stderr).toMatch(/0 chart\(s\) failed/);
    }
  });

  it('maps the top-level settings to the same variables, METRIC_SERVICE spelt right, 0 and false kept', () => {
    for (const role of [env.primary, env.replica]) {
      expect(Object.fromEntries(role)).toMatchObject({
        CLIENT_SERVICE: 'https://config.example.com/api/1.0',
        METRIC_SERVICE: 'https://events.example.com/api/1.0',
        METRIC_POST_DURATION: '0',
        HEARTBEAT_INTERVAL: '0',
        PORT: '8443',
        TLS_ENABLED: 'true',
        TLS_CERT: '/certs/tls.crt',
        TLS_KEY: '/certs/tls.key',
        BYPASS_AUTH: 'false',
        LOG_LEVEL: 'DEBUG',
        METRICS_STREAM_MAX_LEN: '5000',
        REDIS_ADDRESS: 'redis-master.redis.svc:6379',
        REDIS_DB: '0',
      });
      expect(role.has('METRICS_SERVICE')).toBe(false);
    }
    expect(env.primary.get('READ_REPLICA')).toBe('false');
    expect(env.replica.get('READ_REPLICA')).toBe('true');
    const proxyVars = proxyEnvVarNames();
    for (const configMap of manifests.filter((m) => m.kind === 'ConfigMap')) {
      for (const name of Object.keys(configMap.data)) {
        expect(proxyVars).toContain(name);
      }
    }
  });

  it('takes the secrets from the same places, an existing Secret before a value', () => {
    expect(env.primary.get('PROXY_KEY')).toEqual({
      secretKeyRef: { name: 'harness-proxy-key', key: 'PROXY_KEY' },
    });
    expect(env.replica.has('PROXY_KEY')).toBe(false);
    expect(JSON.stringify(manifests)).not.toContain(
      Buffer.from('pk-harness-value').toString('base64'),
    );
    for (const role of [env.primary, env.replica]) {
      expect(role.get('AUTH_SECRET')).toEqual({
        secretKeyRef: { name: H_SECRET, key: 'AUTH_SECRET' },
      });
      expect(role.get('REDIS_PASSWORD')).toEqual({
        secretKeyRef: { name: H_SECRET, key: 'REDIS_PASSWORD' },
      });
    }
    expect(secretText(manifests, H_SECRET, 'AUTH_SECRET')).toBe('as-harness-value');
    expect(secretText(manifests, H_SECRET, 'REDIS_PASSWORD')).toBe('rp-harness-value');
    const outsideSecrets = JSON.stringify(manifests.filter((m) => m.kind !== 'Secret'));
    for (const secret of ['as-harness-value', 'rp-harness-value', 'canary-sdk-key-value']) {
      expect(outsideSecrets).not.toContain(secret);
    }
  });

  it('runs the image, pull secrets, service account and names it asks for', () => {
    for (const deployment of [primary, replica]) {
      expect(container(deployment).image).toBe('registry.example.com/ff-relay:9.9.9');
      expect(container(deployment).imagePullPolicy).toBe('Always');
      expect(podSpec(deployment).imagePullSecrets).toEqual([{ name: 'registry-credentials' }]);
      expect(podSpec(deployment).serviceAccountName).toBe('relay-sa');
    }
    const account = find(manifests, 'ServiceAccount', 'relay-sa');
    expect(account.metadata.annotations).toEqual({ 'iam.example.com/role': 'relay' });
  });

  it('gives each role its own pod settings, over the hardened defaults', () => {
    const roles = [
      { deployment: primary, harness: HARNESS.writer, other: replica, uid: 2000 },
      { deployment: replica, harness: HARNESS.readReplica, other: primary, uid: 3000 },
    ];
    for (const { deployment, harness, other, uid } of roles) {
      const pod = podSpec(deployment);
      const annotations = deployment.spec.template.metadata.annotations;
      expect(annotations).toMatchObject(harness.podAnnotations);
      expect(other.spec.template.metadata.annotations).not.toMatchObject(harness.podAnnotations);
      expect(pod.securityContext).toMatchObject({
        ...harness.podSecurityContext,
        runAsNonRoot: true,
      });
      expect(container(deployment).securityContext).toMatchObject({
        runAsUser: uid,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
      });
      expect(pod.nodeSelector).toEqual(harness.nodeSelector);
      expect(pod.tolerations).toEqual(harness.tolerations);
      expect(pod.affinity).toEqual(harness.affinity);
      expect(container(deployment).resources).toEqual(harness.resources);
      expect(container(deployment).env).toEqual(expect.arrayContaining(harness.custom_envs));
      expect(container(deployment).volumeMounts).toEqual(
        expect.arrayContaining(harness.custom_mounts),
      );
      expect(pod.volumes).toEqual(expect.arrayContaining(harness.custom_volumes));
    }
    expect(env.replica.has('FORWARD_TARGETS')).toBe(false);
  });

  it('listens on `port` with probes and Services following it, HTTPS with tls.enabled', () => {
    for (const deployment of [primary, replica]) {
      const c = container(deployment);
      expect(c.ports).toContainEqual(
        expect.objectContaining({ name: 'http', containerPort: 8443 }),
      );
      expect(c.readinessProbe.httpGet).toMatchObject({ port: 'http', scheme: 'HTTPS' });
      expect(c.livenessProbe).toBeDefined();
    }
    const services = { [H_PRIMARY]: ['NodePort', 7100], [H_REPLICA]: ['LoadBalancer', 7200] };
    for (const [name, [type, port]] of Object.entries(services)) {
      const service = find(manifests, 'Service', name);
      expect(service.spec.type).toBe(type);
      expect(service.spec.ports).toEqual([
        expect.objectContaining({ name: 'http', port, targetPort: 'http' }),
        expect.objectContaining({ name: 'metrics', port: 9091, targetPort: 'metrics' }),
      ]);
    }
  });

  it('scales the replicas with the HPA it describes, or runs replicaCount pods', () => {
    const hpa = find(manifests, 'HorizontalPodAutoscaler', H_REPLICA);
    expect(hpa.spec).toMatchObject({ minReplicas: 3, maxReplicas: 30 });
    expect(
      hpa.spec.metrics.map((m: any) => [m.resource.name, m.resource.target.averageUtilization]),
    ).toEqual([
      ['cpu', 60],
      ['memory', 75],
    ]);
    const fixed = render({
      ...HARNESS,
      readReplica: { ...HARNESS.readReplica, autoscaling: { enabled: false } },
    });
    expect(find(fixed, 'Deployment', H_REPLICA).spec.replicas).toBe(3);
  });

  it('routes each Ingress and Istio VirtualService to its role', () => {
    const routes = [
      { name: H_PRIMARY, harness: HARNESS.writer, port: 7100 },
      { name: H_REPLICA, harness: HARNESS.readReplica, port: 7200 },
    ];
    for (const { name, harness, port } of routes) {
      const ingress = find(manifests, 'Ingress', name);
      expect(ingress.spec.ingressClassName).toBe(harness.ingress.className);
      expect(ingress.metadata.annotations).toEqual(harness.ingress.annotations);
      expect(ingress.spec.tls ?? []).toEqual(harness.ingress.tls);
      expect(ingress.spec.rules).toEqual([
        {
          host: harness.ingress.hosts[0].host,
          http: {
            paths: [
              {
                ...harness.ingress.hosts[0].paths[0],
                backend: { service: { name, port: { number: port } } },
              },
            ],
          },
        },
      ]);
      const virtualService = find(manifests, 'VirtualService', name);
      const destination = { host: `${name}.flags.svc.cluster.local`, port: { number: port } };
      expect(virtualService.spec).toMatchObject({
        gateways: harness.istio.gateways,
        hosts: harness.istio.hosts,
        http: [{ match: [{ uri: { prefix: '/' } }], route: [{ destination }] }],
      });
      const tls = harness.istio.tls.enabled
        ? [{ match: [{ port: 443, sniHosts: harness.istio.hosts }], route: [{ destination }] }]
        : undefined;
      expect(virtualService.spec.tls).toEqual(tls);
    }
  });

  it('runs the canary against the SDK-facing Service with its SDK key from a Secret', () => {
    const canary = find(manifests, 'Deployment', H_CANARY);
    const c = container(canary);
    expect(c.image).toBe('harnesscommunity/feature-flag-connectivity-check:latest');
    expect(c.imagePullPolicy).toBe('IfNotPresent');
    expect(c.resources).toEqual(HARNESS.canary.resources);
    expect(c.env).toEqual([
      { name: 'RELAY_PROXY_ADDRESS', value: `https://${H_REPLICA}.flags.svc.cluster.local:7200` },
      { name: 'FF_SDK_KEY', valueFrom: { secretKeyRef: { name: H_CANARY, key: 'FF_SDK_KEY' } } },
      { name: 'FF_ID', value: 'harnessappdemodarkmode' },
    ]);
    expect(secretText(manifests, H_CANARY, 'FF_SDK_KEY')).toBe('canary-sdk-key-value');
    const labels = canary.spec.template.metadata.labels;
    for (const service of manifests.filter((m) => m.kind === 'Service')) {
      expect(matches(service.spec.selector, labels)).toBe(false);
    }
    const address = { ...HARNESS.canary, connectionAddress: 'http://elsewhere:7000' };
    const elsewhere = render({ ...HARNESS, canary: address });
    expect(container(find(elsewhere, 'Deployment', H_CANARY)).env[0].value).toBe(
      'http://elsewhere:7000',
    );
  });
});
