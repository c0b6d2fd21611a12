import {
  find,
  helm,
  kinds,
  merge,
  render,
  template,
  CHART_DIR,
  RELEASE,
  NAMESPACE,
} from '../support/helm-chart.js';
import { container, environment, HA } from '../support/helm-values.js';
import { HARNESS_MINIMAL, H_CANARY, H_PRIMARY, H_REPLICA } from '../support/harness-values.js';

/** Renders values that must be refused, and returns helm's error. */
function refusal(values: object): string {
  const result = template(values);
  expect(result.status).not.toBe(0);
  return result.stderr;
}

describe('helm chart: Harness and ff-relay names for one setting', () => {
  it('accepts both when they agree, and refuses them when they differ, naming both', () => {
    const agree = render(
      merge(HARNESS_MINIMAL, { logLevel: 'ERROR', config: { LOG_LEVEL: 'ERROR' } }),
    );
    expect(environment(agree, find(agree, 'Deployment', H_PRIMARY)).get('LOG_LEVEL')).toBe('ERROR');
    const cases: [object, string][] = [
      [
        { logLevel: 'DEBUG', config: { LOG_LEVEL: 'ERROR' } },
        'logLevel (Harness chart name) is "DEBUG" but config.LOG_LEVEL is "ERROR"',
      ],
      [
        { port: 8000, config: { PORT: 9000 } },
        'port (Harness chart name) is "8000" but config.PORT is "9000"',
      ],
      [
        { config: { REDIS_ADDRESS: 'other:6379' } },
        'redis.address (Harness chart name) is "redis:6379" but config.REDIS_ADDRESS',
      ],
      [{ metricPostDuration: 0, config: { METRIC_POST_DURATION: 60 } }, 'metricPostDuration'],
      [
        { secrets: { PROXY_KEY: { value: 'another' } } },
        "secrets.PROXY_KEY and the Harness chart's proxyKey",
      ],
      [
        { secrets: { AUTH_SECRET: { existingSecret: 'mine' } } },
        "secrets.AUTH_SECRET and the Harness chart's authSecret",
      ],
      [
        {
          writer: { resources: { requests: { cpu: 1 } } },
          primary: { resources: { requests: { cpu: '2' } } },
        },
        'writer.resources (Harness chart name) and primary.resources',
      ],
      [
        {
          writer: { service: { enabled: true, port: 7100 } },
          primary: { service: { port: 7300 } },
        },
        'writer.service.port (Harness chart name) and primary.service.port',
      ],
    ];
    for (const [values, message] of cases) {
      expect(refusal(merge(HARNESS_MINIMAL, values))).toContain(message);
    }
  });

  it('keeps ff-relay values working next to the Harness names', () => {
    const manifests = render(
      merge(HA, { logLevel: 'DEBUG', writer: { podAnnotations: { a: 'b' } } }),
    );
    const primary = find(manifests, 'Deployment', 'relay-ff-relay-primary');
    expect(environment(manifests, primary).get('LOG_LEVEL')).toBe('DEBUG');
    expect(primary.spec.template.metadata.annotations.a).toBe('b');
  });

  it('lets a Harness name win over an ff-relay value left at its default', () => {
    const manifests = render(
      merge(HARNESS_MINIMAL, {
        writer: { resources: { requests: { cpu: '1' } }, service: { enabled: true, port: 7100 } },
        port: 8000,
      }),
    );
    const primary = find(manifests, 'Deployment', H_PRIMARY);
    expect(container(primary).resources).toEqual({ requests: { cpu: '1' } });
    expect(find(manifests, 'Service', H_PRIMARY).spec.ports[0].port).toBe(7100);
    expect(environment(manifests, primary).get('PORT')).toBe('8000');
  });

  it('refuses what ff-relay cannot do, naming the value', () => {
    const cases: [object, string][] = [
      [
        { image: { repository: 'harness/ff-proxy' } },
        'image.repository: harness/ff-proxy is the Harness Go proxy',
      ],
      [
        { writer: { custom_envs: [{ name: 'PORT', value: '8000' }] } },
        'custom_envs: PORT is set by the chart',
      ],
      [
        { readReplica: { custom_envs: [{ name: 'AUTH_SECRET', value: 'x' }] } },
        'custom_envs: AUTH_SECRET is set by the chart',
      ],
      [{ canary: { enabled: true } }, 'canary.sdkKey'],
      [
        { writer: { istio: { enabled: true, hosts: [] } } },
        'writer.istio.hosts: give at least one host',
      ],
      [
        { readReplica: { enabled: false, istio: { enabled: true, hosts: ['a'] } } },
        'readReplica.istio: the read-replica Deployment is not rendered',
      ],
      [
        { writer: { ingress: { enabled: true } } },
        'writer.ingress needs writer.enabled and writer.service.enabled',
      ],
      [
        { ingress: { enabled: true }, readReplica: { ingress: { enabled: true } } },
        'ingress and readReplica.ingress (Harness chart name) both route SDKs',
      ],
      [
        { writer: { enabled: false }, redis: { address: null } },
        'writer.enabled=false leaves read replicas only',
      ],
    ];
    for (const [values, message] of cases) {
      expect(refusal(merge(HARNESS_MINIMAL, values))).toContain(message);
    }
  });

  it('passes the profilers on, as the Harness chart does', () => {
    const on = render(merge(HARNESS_MINIMAL, { pprof: true, gcpProfilerEnabled: 'true' }));
    for (const name of [H_PRIMARY, H_REPLICA]) {
      const env = environment(on, find(on, 'Deployment', name));
      expect([env.get('PPROF'), env.get('GCP_PROFILER_ENABLED')]).toEqual(['true', 'true']);
    }
  });

  it('refuses a Harness value of the wrong type through the schema', () => {
    for (const values of [
      { port: 'eighty' },
      { logLevel: 'verbose' },
      { bypassAuth: 'yes' },
      { writer: { service: { type: 'Internal' } } },
    ]) {
      expect(refusal(merge(HARNESS_MINIMAL, values))).toContain(
        "don't meet the specifications of the schema",
      );
    }
  });
});

describe("helm chart: the Harness chart's defects, fixed", () => {
  it('takes numbers from --set as ConfigMap strings (defect 3) and 0 or false as values (defect 4)', () => {
    const args = [
      '--set',
      'metricPostDuration=0',
      '--set',
      'heartbeatInterval=30',
      '--set',
      'bypassAuth=false',
      '--set',
      'metricsStreamMaxLen=2000',
    ];
    const result = helm(
      ['template', RELEASE, CHART_DIR, '--namespace', NAMESPACE, ...args],
      HARNESS_MINIMAL,
    );
    expect(result.stderr).toBe('');
    const manifests = render(HARNESS_MINIMAL, args);
    const env = environment(manifests, find(manifests, 'Deployment', H_PRIMARY));
    expect([
      env.get('METRIC_POST_DURATION'),
      env.get('HEARTBEAT_INTERVAL'),
      env.get('BYPASS_AUTH'),
      env.get('METRICS_STREAM_MAX_LEN'),
    ]).toEqual(['0', '30', 'false', '2000']);
  });

  it('keeps Services, probes and the canary on the port the relay listens on (defect 5)', () => {
    const manifests = render(
      merge(HARNESS_MINIMAL, { port: 9000, canary: { enabled: true, sdkKey: 'k' } }),
    );
    const replica = find(manifests, 'Deployment', H_REPLICA);
    expect(container(replica).ports[0]).toMatchObject({ name: 'http', containerPort: 9000 });
    expect(container(replica).readinessProbe.httpGet.port).toBe('http');
    expect(find(manifests, 'Service', H_REPLICA).spec.ports[0]).toMatchObject({
      port: 7000,
      targetPort: 'http',
    });
    expect(container(find(manifests, 'Deployment', H_CANARY)).env[0].value).toBe(
      `http://${H_REPLICA}.flags.svc.cluster.local:7000`,
    );
  });
});

describe('helm chart: writer.enabled=false', () => {
  it('runs read replicas only, without a proxy key, the canary on the replicas', () => {
    const values = merge(HARNESS_MINIMAL, {
      writer: { enabled: false },
      proxyKey: null,
      canary: { enabled: true, sdkKey: 'k' },
    });
    const manifests = render(values);
    expect(kinds(manifests).filter((k) => k.includes('primary'))).toEqual([]);
    expect(kinds(manifests)).toContain(`Deployment/${H_REPLICA}`);
    expect(
      environment(manifests, find(manifests, 'Deployment', H_REPLICA)).get('READ_REPLICA'),
    ).toBe('true');
  });
});
