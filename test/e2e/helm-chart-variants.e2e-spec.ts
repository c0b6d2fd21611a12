import { find, kinds, merge, render, template } from '../support/helm-chart.js';
import {
  PRIMARY,
  REPLICA,
  SECRET_VARS,
  SECRET_VALUES,
  HA,
  OFFLINE,
  EXISTING,
  MONITORED,
  podSpec,
  container,
  environment,
  matches,
} from '../support/helm-values.js';

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
      expect.objectContaining({
        port: 'metrics',
        path: '/metrics',
        scheme: 'http',
        honorLabels: false,
      }),
    ]);
    // One scrape job for the whole release (the dashboard's $job): the primary's and the
    // replicas' Services give the label it is read from the same value.
    expect(monitor.spec.jobLabel).toBe('app.kubernetes.io/part-of');
    for (const name of [PRIMARY, REPLICA]) {
      const service = find(manifests, 'Service', name);
      expect(matches(monitor.spec.selector.matchLabels, service.metadata.labels)).toBe(true);
      expect(service.metadata.labels['app.kubernetes.io/part-of']).toBe('relay-ff-relay');
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

  it('serves /metrics on a port of its own by default, which the Ingress does not route to', () => {
    const manifests = render(merge(HA, { ingress: { enabled: true } }));
    for (const name of [PRIMARY, REPLICA]) {
      const deployment = find(manifests, 'Deployment', name);
      expect(environment(manifests, deployment).get('PROMETHEUS_PORT')).toBe('9091');
      expect(container(deployment).ports).toContainEqual(
        expect.objectContaining({ name: 'metrics', containerPort: 9091 }),
      );
    }
    const ingress = find(manifests, 'Ingress', 'relay-ff-relay');
    expect(ingress.spec.rules[0].http.paths[0].backend.service.port).toEqual({ number: 7000 });
  });

  it.each([
    ['unset', { PROMETHEUS_PORT: null }],
    ['PORT', { PORT: 8000, PROMETHEUS_PORT: 8000 }],
  ])(
    'refuses an Ingress to pods serving /metrics on their http port (PROMETHEUS_PORT %s)',
    (_, config) => {
      const ingress = template(merge(HA, { config, ingress: { enabled: true } }));
      expect(ingress.status).not.toBe(0);
      expect(ingress.stderr).toContain('config.PROMETHEUS_PORT: the Ingress relay-ff-relay routes');
      const writer = template(
        merge(HA, {
          config,
          readReplica: { enabled: false },
          writer: { service: { enabled: true }, ingress: { enabled: true, hosts: [] } },
        }),
      );
      expect(writer.stderr).toContain('config.PROMETHEUS_PORT');
      expect(render(merge(HA, { config })).length).toBeGreaterThan(0);
    },
  );

  it('believes the ingress controller’s X-Forwarded-For on the pods it routes to (TRUSTED_PROXIES)', () => {
    const trusted = (values: object) => {
      const manifests = render(values);
      return [PRIMARY, REPLICA].map((name) =>
        environment(manifests, find(manifests, 'Deployment', name)).get('TRUSTED_PROXIES'),
      );
    };
    expect(trusted(HA)).toEqual([undefined, undefined]);
    expect(trusted(merge(HA, { ingress: { enabled: true } }))).toEqual([undefined, '1']);
    expect(
      trusted(
        merge(HA, { ingress: { enabled: true }, config: { TRUSTED_PROXIES: '10.8.0.0/16' } }),
      ),
    ).toEqual(['10.8.0.0/16', '10.8.0.0/16']);
    const lone = render(merge(HA, { readReplica: { enabled: false }, ingress: { enabled: true } }));
    expect(environment(lone, find(lone, 'Deployment', PRIMARY)).get('TRUSTED_PROXIES')).toBe('1');
  });

  it('refuses an ADMIN_API_TOKEN value shorter than 32 characters', () => {
    const short = template(merge(HA, { secrets: { ADMIN_API_TOKEN: { value: 'short-token' } } }));
    expect(short.status).not.toBe(0);
    expect(short.stderr).toContain('secrets.ADMIN_API_TOKEN: at least 32 characters');
  });

  it('ServiceMonitor without PROMETHEUS_PORT scrapes the http port', () => {
    const manifests = render(
      merge(HA, { config: { PROMETHEUS_PORT: null }, serviceMonitor: { enabled: true } }),
    );
    const monitor = find(manifests, 'ServiceMonitor', 'relay-ff-relay');
    expect(monitor.spec.endpoints[0]).toMatchObject({ port: 'http', path: '/metrics' });
    const service = find(manifests, 'Service', REPLICA);
    expect(service.spec.ports.map((p: { name: string }) => p.name)).toEqual(['http']);
  });

  it('follows PORT and TLS_ENABLED in ports, probes and the scrape scheme', () => {
    const tls = {
      config: {
        PORT: 8443,
        PROMETHEUS_PORT: null,
        TLS_ENABLED: true,
        TLS_CERT: '/tls/crt',
        TLS_KEY: '/tls/key',
      },
    };
    const monitor = { serviceMonitor: { enabled: true, tlsConfig: { insecureSkipVerify: true } } };
    const manifests = render(merge(merge(HA, tls), monitor));
    const replica = find(manifests, 'Deployment', REPLICA);
    expect(container(replica).ports).toContainEqual(
      expect.objectContaining({ name: 'http', containerPort: 8443 }),
    );
    expect(container(replica).readinessProbe.httpGet.scheme).toBe('HTTPS');
    expect(container(replica).livenessProbe.httpGet.scheme).toBe('HTTPS');
    expect(container(replica).startupProbe.httpGet.scheme).toBe('HTTPS');
    expect(environment(manifests, replica).get('TLS_ENABLED')).toBe('true');
    expect(find(manifests, 'ServiceMonitor', 'relay-ff-relay').spec.endpoints[0]).toMatchObject({
      port: 'http',
      scheme: 'https',
      tlsConfig: { insecureSkipVerify: true },
    });
  });

  it('renders numbers as plain strings in the ConfigMap', () => {
    const manifests = render(merge(HA, { config: { BODY_LIMIT_BYTES: 1048576, REDIS_DB: 0 } }));
    const env = environment(manifests, find(manifests, 'Deployment', PRIMARY));
    expect(env.get('BODY_LIMIT_BYTES')).toBe('1048576');
    expect(env.get('REDIS_DB')).toBe('0');
  });

  it('passes the Harness Redis settings in their documented units and any-case log levels', () => {
    const config = {
      LOG_LEVEL: 'warn',
      REDIS_READ_TIMEOUT_SECONDS: 5,
      REDIS_MAX_RETRIES: -1,
      REDIS_CON_MAX_IDLE_TIME_MINUTES: '-1',
      METRICS_STREAM_READ_CONCURRENCY: 20,
    };
    const manifests = render(merge(HA, { config }));
    const env = environment(manifests, find(manifests, 'Deployment', REPLICA));
    expect(env.get('LOG_LEVEL')).toBe('warn');
    expect(env.get('REDIS_READ_TIMEOUT_SECONDS')).toBe('5');
    expect(env.get('REDIS_MAX_RETRIES')).toBe('-1');
    expect(env.get('REDIS_CON_MAX_IDLE_TIME_MINUTES')).toBe('-1');
    expect(env.get('METRICS_STREAM_READ_CONCURRENCY')).toBe('20');
  });

  it('passes the SDK stream limit and max age to both roles, and refuses malformed ones', () => {
    const config = { SDK_STREAM_LIMIT: 20000, SDK_STREAM_MAX_AGE: '45m' };
    const manifests = render(merge(HA, { config }));
    for (const name of [PRIMARY, REPLICA]) {
      const env = environment(manifests, find(manifests, 'Deployment', name));
      expect(env.get('SDK_STREAM_LIMIT')).toBe('20000');
      expect(env.get('SDK_STREAM_MAX_AGE')).toBe('45m');
    }
    for (const bad of [{ SDK_STREAM_LIMIT: -1 }, { SDK_STREAM_MAX_AGE: '45 minutes' }]) {
      const result = template(merge(HA, { config: bad }));
      expect({ bad, status: result.status }).not.toMatchObject({ status: 0 });
      expect(result.stderr).toContain("don't meet the specifications of the schema");
    }
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
    const unrelated = merge(HA, { serviceMonitor: { enabled: true } });
    expect(annotations(unrelated, REPLICA)).toEqual(before.replica);
  });

  it('changes the secret checksum of the roles reading a secret whose value or source changed', () => {
    const before = annotations(HA, REPLICA)['checksum/secret'];
    const rotated = merge(HA, { secrets: { AUTH_SECRET: { value: 'another-secret' } } });
    expect(annotations(rotated, REPLICA)['checksum/secret']).not.toBe(before);
    expect(annotations(EXISTING, REPLICA)['checksum/secret']).not.toBe(before);
    const newAdminToken = merge(HA, {
      secrets: { ADMIN_API_TOKEN: { value: 'another-admin-token-of-32-characters' } },
    });
    expect(annotations(newAdminToken, REPLICA)['checksum/secret']).toBe(before);
    expect(annotations(newAdminToken, PRIMARY)['checksum/secret']).not.toBe(
      annotations(HA, PRIMARY)['checksum/secret'],
    );
  });
});
