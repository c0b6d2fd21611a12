import { readFile } from 'node:fs/promises';
import type { TestApp } from '../support/create-test-app.js';
import { createTestApp } from '../support/create-test-app.js';
import { startPrimary, waitForSync } from '../support/primary.js';
import { Registry } from 'prom-client';
import { clauseLabels, familyOf, metricNames, selectors } from '../support/promql-metrics.js';
import { parseScrape } from '../support/prometheus-text.js';
import { environmentSeed } from '../support/upstream-emulator/fixtures.js';
import { UpstreamEmulator } from '../support/upstream-emulator/upstream-emulator.js';

const DASHBOARD = new URL('../../observability/grafana/ff-relay-dashboard.json', import.meta.url);

interface Panel {
  title?: string;
  type?: string;
  gridPos?: { x: number; y: number; w: number; h: number };
  targets?: { expr?: string; legendFormat?: string }[];
  panels?: Panel[];
}

interface Variable {
  name: string;
  query?: string | { query?: string };
  allValue?: string;
}

interface Dashboard {
  __inputs: { name: string; type: string; pluginId: string }[];
  panels: Panel[];
  templating: { list: Variable[] };
}

interface Expression {
  where: string;
  expr: string;
  legend?: string;
}

/**
 * The labels every series gets from a default scrape: Prometheus adds `job` and `instance`; the
 * Prometheus Operator's ServiceMonitor also `namespace`, `service`, `pod`, `container` and
 * `endpoint`.
 */
const TARGET_LABELS = ['job', 'instance', 'namespace', 'service', 'pod', 'container', 'endpoint'];

/** Every panel, rows and the panels of collapsed rows included. */
function allPanels(dashboard: Dashboard): Panel[] {
  const found: Panel[] = [];
  const visit = (panel: Panel): void => {
    found.push(panel);
    (panel.panels ?? []).forEach(visit);
  };
  dashboard.panels.forEach(visit);
  return found;
}

const variableQuery = (variable: Variable): string =>
  (typeof variable.query === 'string' ? variable.query : variable.query?.query) ?? '';

/** Every PromQL expression of the dashboard, with where it is: panels, rows, variables. */
function expressions(dashboard: Dashboard): Expression[] {
  const found: Expression[] = allPanels(dashboard).flatMap((panel) =>
    (panel.targets ?? []).map((target) => ({
      where: panel.title ?? '',
      expr: target.expr ?? '',
      legend: target.legendFormat,
    })),
  );
  for (const variable of dashboard.templating.list) {
    found.push({ where: `variable ${variable.name}`, expr: variableQuery(variable) });
  }
  return found;
}

/**
 * What a default scrape (honor_labels false, as the chart's ServiceMonitor keeps it) makes of
 * an exported label set: a label that clashes with a target label is renamed `exported_<name>`
 * (ff_proxy_scheduled_job_duration_seconds's `job`), and the target labels are added.
 */
function scrapedLabels(exported: readonly string[]): Set<string> {
  return new Set([
    ...exported.map((label) => (TARGET_LABELS.includes(label) ? `exported_${label}` : label)),
    ...TARGET_LABELS,
  ]);
}

describe('metricNames (PromQL)', () => {
  it('finds selected metrics, not functions, labels, clauses or variables', () => {
    expect(
      metricNames(
        'histogram_quantile(0.95, sum by (le, url) (rate(a_bucket{url!="/stream",x=~"$x"}[$__rate_interval])))',
      ),
    ).toEqual(['a_bucket']);
    expect(metricNames('sum(rate(b[5m])) / on(instance) group_left max without (job) (c)')).toEqual(
      ['b', 'c'],
    );
    expect(metricNames('label_values(process_start_time_seconds, instance)')).toEqual([
      'process_start_time_seconds',
    ]);
  });
});

describe('observability/grafana/ff-relay-dashboard.json', () => {
  let dashboard: Dashboard;
  let emulator: UpstreamEmulator;
  let primary: TestApp;
  let replica: TestApp;
  beforeAll(async () => {
    dashboard = JSON.parse(await readFile(DASHBOARD, 'utf8')) as Dashboard;
    emulator = new UpstreamEmulator({ seed: { environments: [environmentSeed()] } });
    await emulator.start();
    primary = await startPrimary(emulator);
    await waitForSync(primary);
    replica = await createTestApp({ READ_REPLICA: 'true' }, { keepRedis: true });
  });
  afterAll(async () => {
    await replica?.close();
    await primary?.close();
    await emulator?.stop();
  });

  it('is importable: a Prometheus datasource input, panels with queries', () => {
    expect(dashboard['__inputs']).toEqual([
      expect.objectContaining({
        name: 'DS_PROMETHEUS',
        type: 'datasource',
        pluginId: 'prometheus',
      }),
    ]);
    expect(expressions(dashboard).length).toBeGreaterThan(30);
  });

  it('queries only metrics a primary or a read replica exports', async () => {
    const types = new Map<string, string>();
    for (const app of [primary, replica]) {
      const scrape = parseScrape((await app.app.inject({ url: '/metrics' })).body);
      scrape.types.forEach((type, name) => types.set(name, type));
    }
    const unknown = expressions(dashboard).flatMap(({ where, expr }) =>
      metricNames(expr)
        .filter((name) => familyOf(name, types) === undefined)
        .map((name) => `${where}: ${name}`),
    );
    expect(unknown).toEqual([]);
  });

  it('lays its panels out on the 24-column grid with no two overlapping', () => {
    const placed = allPanels(dashboard).map((panel) => ({
      title: `${panel.type ?? ''} "${panel.title ?? ''}"`,
      ...(panel.gridPos ?? { x: 0, y: 0, w: 0, h: 0 }),
    }));
    const overlaps: string[] = [];
    placed.forEach((a, i) => {
      if (a.w <= 0 || a.h <= 0 || a.x < 0 || a.x + a.w > 24) {
        overlaps.push(`${a.title} is not on the grid`);
      }
      for (const b of placed.slice(i + 1)) {
        const apart = a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
        if (!apart) {
          overlaps.push(`${a.title} and ${b.title}`);
        }
      }
    });
    expect(overlaps).toEqual([]);
  });

  it('uses only labels that a default Prometheus scrape produces', () => {
    const registries = [primary, replica].map((app) => app.app.get(Registry));
    const exported = new Map<string, string[]>();
    for (const metric of registries.flatMap((registry) => registry.getMetricsAsArray())) {
      // prom-client types leave out the label names every metric object carries.
      const labelNames = 'labelNames' in metric ? metric.labelNames : undefined;
      exported.set(metric.name, Array.isArray(labelNames) ? labelNames.map(String) : []);
    }
    const types = new Map([...exported.keys()].map((name) => [name, 'histogram']));
    const labelsOf = (sample: string): Set<string> => {
      const family = exported.has(sample) ? sample : (familyOf(sample, types) ?? sample);
      const labels = scrapedLabels(exported.get(family) ?? []);
      if (sample.endsWith('_bucket')) {
        labels.add('le');
      }
      return labels;
    };
    const wrong: string[] = [];
    for (const { where, expr, legend } of expressions(dashboard)) {
      for (const selector of selectors(expr)) {
        const known = labelsOf(selector.metric);
        selector.labels
          .filter((label) => !known.has(label))
          .forEach((label) => wrong.push(`${where}: ${selector.metric}{${label}}`));
      }
      // Grouping clauses and legends: labels of some metric the expression reads.
      const known = new Set(metricNames(expr).flatMap((name) => [...labelsOf(name)]));
      const named = [
        ...clauseLabels(expr),
        ...[...(legend ?? '').matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map(([, label = '']) => label),
      ];
      named
        .filter((label) => !known.has(label))
        .forEach((label) => wrong.push(`${where}: ${label} in ${expr}`));
      // A label the metric exports under a target label's name: after the scrape that name is
      // the target's (the same for every series of the job); the exported one is exported_<name>.
      const clashing = metricNames(expr).flatMap((name) =>
        (exported.get(familyOf(name, types) ?? name) ?? []).filter((l) =>
          TARGET_LABELS.includes(l),
        ),
      );
      named
        .filter((label) => clashing.includes(label))
        .forEach((label) => wrong.push(`${where}: ${label} is the scrape's, not the metric's`));
    }
    expect(wrong).toEqual([]);
    // The scheduled-job panel groups by the renamed label, so it stays one line per job.
    const jobs = expressions(dashboard).find(({ expr }) =>
      expr.includes('ff_proxy_scheduled_job_duration_seconds'),
    );
    expect(jobs?.expr).toContain('exported_job');
  });

  it('shows one release: every query scoped to $job and $instance, $instance to $job', () => {
    const variables = new Map(dashboard.templating.list.map((v) => [v.name, v]));
    expect([...variables.keys()]).toEqual(['job', 'instance']);
    expect(variableQuery(variables.get('instance') as Variable)).toMatch(/\{job="\$job"\}/);
    // A custom "All" of ".*" would match every target in Prometheus, not the job's.
    expect(variables.get('instance')?.allValue).toBeUndefined();
    const unscoped = expressions(dashboard)
      .filter(({ where }) => !where.startsWith('variable'))
      .flatMap(({ where, expr }) =>
        selectors(expr)
          .filter(
            (s) =>
              !(s.matchers.includes('job="$job"') && s.matchers.includes('instance=~"$instance"')),
          )
          .map((s) => `${where}: ${s.metric}`),
      );
    expect(unscoped).toEqual([]);
    // Every selector has braces, so none escaped the check above.
    for (const { expr, where } of expressions(dashboard).filter(
      (e) => !e.where.startsWith('variable'),
    )) {
      expect({ where, selectors: selectors(expr).length }).toEqual({
        where,
        selectors: metricNames(expr).length,
      });
    }
  });

  it('finds a job and instances to show on an idle primary and replica', async () => {
    for (const variable of dashboard.templating.list) {
      const [metric = ''] = metricNames(variableQuery(variable));
      for (const app of [primary, replica]) {
        const scrape = (await app.app.inject({ url: '/metrics' })).body;
        expect({
          variable: variable.name,
          exported: new RegExp(`^${metric}(\\{| )`, 'm').test(scrape),
        }).toEqual({ variable: variable.name, exported: true });
      }
    }
  });

  it('never filters stream counters on error="true", a value they never take', () => {
    const streamQueries = expressions(dashboard).filter(({ expr }) =>
      /_messages_(published|received)|_subscription_requests/.test(expr),
    );
    expect(streamQueries.length).toBeGreaterThan(0);
    for (const { expr } of streamQueries) {
      expect(expr).not.toMatch(/error="true"/);
    }
  });
});
