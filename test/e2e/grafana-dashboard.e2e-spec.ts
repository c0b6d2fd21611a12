import { readFile } from 'node:fs/promises';
import type { TestApp } from '../support/create-test-app.js';
import { createTestApp } from '../support/create-test-app.js';
import { startPrimary, waitForSync } from '../support/primary.js';
import { familyOf, metricNames } from '../support/promql-metrics.js';
import { parseScrape } from '../support/prometheus-text.js';
import { environmentSeed } from '../support/upstream-emulator/fixtures.js';
import { UpstreamEmulator } from '../support/upstream-emulator/upstream-emulator.js';

const DASHBOARD = new URL('../../observability/grafana/ff-relay-dashboard.json', import.meta.url);

interface Panel {
  title?: string;
  type?: string;
  targets?: { expr?: string }[];
  panels?: Panel[];
}

interface Dashboard {
  __inputs: { name: string; type: string; pluginId: string }[];
  panels: Panel[];
  templating: { list: { query?: string | { query?: string } }[] };
}

/** Every PromQL expression of the dashboard, with where it is: panels, rows, variables. */
function expressions(dashboard: Dashboard): { where: string; expr: string }[] {
  const found: { where: string; expr: string }[] = [];
  const visit = (panel: Panel): void => {
    for (const target of panel.targets ?? []) {
      found.push({ where: panel.title ?? '', expr: target.expr ?? '' });
    }
    (panel.panels ?? []).forEach(visit);
  };
  dashboard.panels.forEach(visit);
  for (const variable of dashboard.templating.list) {
    const query = typeof variable.query === 'string' ? variable.query : variable.query?.query;
    found.push({ where: 'variable', expr: query ?? '' });
  }
  return found;
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
