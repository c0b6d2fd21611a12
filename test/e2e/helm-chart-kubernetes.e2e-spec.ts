import {
  KUBERNETES_VERSIONS,
  kubernetesProblems,
  modelsRelease,
} from '../support/kubernetes-schemas.js';
import { merge, render, template, type Manifest } from '../support/helm-chart.js';
import { HA, MONITORED, VARIANTS, SECRET_VALUES } from '../support/helm-values.js';
import { HARNESS_VARIANTS } from '../support/harness-values.js';

// Every rendered variant is checked against the API schemas of each supported Kubernetes
// release (see test/support/kubernetes-schemas.ts): a manifest helm renders but the API server
// would refuse (an unknown or misplaced field, a wrong type, a kind not served) fails here.
const DEFAULTS = {
  secrets: {
    PROXY_KEY: { value: SECRET_VALUES.PROXY_KEY },
    AUTH_SECRET: { value: SECRET_VALUES.AUTH_SECRET },
  },
};
const ALL_VARIANTS: Record<string, object> = {
  defaults: DEFAULTS,
  ...VARIANTS,
  'TLS, PORT, no autoscaling, extra pod settings': merge(MONITORED, {
    config: { PORT: 8443, TLS_ENABLED: true, TLS_CERT: '/tls/crt', TLS_KEY: '/tls/key' },
    readReplica: { autoscaling: { enabled: false } },
    podAnnotations: { 'example.com/a': 'b' },
    tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule' }],
    extraEnv: [{ name: 'NODE_EXTRA_CA_CERTS', value: '/tls/ca.crt' }],
    extraVolumes: [{ name: 'tls', secret: { secretName: 'tls' } }],
    extraVolumeMounts: [{ name: 'tls', mountPath: '/tls', readOnly: true }],
  }),
  ...HARNESS_VARIANTS,
};

describe('helm chart: manifests are valid Kubernetes objects', () => {
  it('checks against schemas generated from those very releases', () => {
    for (const version of KUBERNETES_VERSIONS) {
      expect(modelsRelease(version)).toBe(version);
    }
  });

  it('renders the same manifests for every supported Kubernetes version', () => {
    const outputs = KUBERNETES_VERSIONS.map((version) => {
      const result = template(HA, ['--kube-version', `${version}.0`]);
      expect(result.stderr).toBe('');
      return result.stdout;
    });
    expect(new Set(outputs).size).toBe(1);
  });

  for (const [variant, values] of Object.entries(ALL_VARIANTS)) {
    it(`${variant}: every object is valid in Kubernetes ${KUBERNETES_VERSIONS.join(', ')}`, async () => {
      const manifests = render(values);
      const problems: string[] = [];
      for (const manifest of manifests) {
        problems.push(...(await kubernetesProblems(manifest)));
      }
      expect(problems).toEqual([]);
    });
  }

  it('finds what the API server would refuse', async () => {
    const deployment = render(HA).find((m) => m.kind === 'Deployment') as Manifest;
    const broken = structuredClone(deployment);
    broken.spec.template.spec.containers[0].livenessProbe.periodSecond = 10;
    broken.spec.template.spec.containers[0].ports[0].containerPort = '7000';
    broken.spec.template.spec.containers[0].imagePullPolicy = 'Sometimes';
    delete broken.spec.selector;
    const problems = (await kubernetesProblems(broken)).join('\n');
    for (const version of KUBERNETES_VERSIONS) {
      expect(problems).toContain(
        `Kubernetes ${version} /spec/template/spec/containers/0/livenessProbe`,
      );
      expect(problems).toContain('(periodSecond)');
    }
    expect(problems).toContain('/ports/0/containerPort must be integer');
    expect(problems).toContain("must have required property 'selector'");
    expect(problems).toContain('imagePullPolicy must be equal to one of the allowed values');

    const configMap = render(HA).find((m) => m.kind === 'ConfigMap') as Manifest;
    configMap.data.PORT = 7000;
    expect((await kubernetesProblems(configMap)).join('\n')).toContain('/data/PORT must be string');

    const removed = { ...deployment, apiVersion: 'extensions/v1beta1' };
    expect((await kubernetesProblems(removed)).join('\n')).toContain(
      'Kubernetes 1.33 serves no extensions/v1beta1 Deployment',
    );
  });
});
