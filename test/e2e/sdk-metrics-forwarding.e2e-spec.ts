import type { Client } from '@harnessio/ff-nodejs-server-sdk';
import { PROXY_VERSION } from '../../src/common/version.js';
import { AppConfig } from '../../src/config/app-config.js';
import { STREAM_PREFIXES } from '../../src/metrics/metric-names.js';
import type { EnvInput } from '../../src/config/env-vars.js';
import type { MetricsEntry, SdkMetricsBatch } from '../../src/sdk-metrics/sdk-metrics-batch.js';
import { SdkMetricsForwarder } from '../../src/sdk-metrics/sdk-metrics-forwarder.service.js';
import { SdkMetricsService } from '../../src/sdk-metrics/sdk-metrics.service.js';
import type { TestApp } from '../support/create-test-app.js';
import { nodeSdkClient } from '../support/node-sdk.js';
import { parseScrape } from '../support/prometheus-text.js';
import { startPrimary, waitForSync } from '../support/primary.js';
import { authenticate, bearer } from '../support/sdk-requests.js';
import { environmentSeed } from '../support/upstream-emulator/fixtures.js';
import { decodeJwtPayload } from '../support/upstream-emulator/jwt.js';
import { sha256Hex } from '../support/upstream-emulator/key-material.js';
import { UpstreamEmulator } from '../support/upstream-emulator/upstream-emulator.js';

const seeds = [environmentSeed(), environmentSeed()];
const envOf = (i: number) => seeds[i]?.id ?? '';
const keyOf = (i: number) => seeds[i]?.apiKeys?.[0] ?? '';

function entry(flag: string, count: number, target = 'user-1'): MetricsEntry {
  const attributes = { featureIdentifier: flag, featureName: flag, variationIdentifier: 'true' };
  const sdk = { target, SDK_TYPE: 'server', SDK_LANGUAGE: 'go', SDK_VERSION: '0.1.24' };
  return {
    timestamp: 1_700_000_000_000,
    count,
    metricsType: 'FFMETRICS',
    attributes: Object.entries({ ...attributes, ...sdk }).map(([key, value]) => ({ key, value })),
  };
}

describe('POST /metrics/:env forwarded upstream (primary mode)', () => {
  let emulator: UpstreamEmulator;
  let t: TestApp | undefined;

  beforeAll(async () => {
    // A cluster other than the default "1" shows the proxy takes it from its token.
    emulator = new UpstreamEmulator({ seed: { environments: seeds }, cluster: '7' });
    await emulator.start();
  });
  afterAll(() => emulator.stop());
  beforeEach(() => emulator.clearRequests());
  afterEach(async () => {
    await emulator.comeBack();
    await t?.close();
    t = undefined;
  });

  /** A primary whose timer stays out of the way (flushes are triggered by the tests). */
  async function boot(env: EnvInput = {}): Promise<TestApp> {
    t = await startPrimary(emulator, { METRIC_POST_DURATION: '3600', ...env });
    await waitForSync(t);
    return t;
  }

  /** Messages the primary has read from `stream:sdk_metrics` (where every instance's go). */
  async function messagesRead(app: TestApp): Promise<number> {
    const scrape = parseScrape((await app.app.inject({ url: '/metrics' })).body);
    const name = `${STREAM_PREFIXES.primaryMetricsConsumer}_messages_received`;
    return scrape.value(name, { error: 'false' });
  }

  /** Posts like an SDK and, when the primary forwards, waits until it has read them back. */
  async function post(app: TestApp, env: number, batch: SdkMetricsBatch): Promise<void> {
    const before = await messagesRead(app);
    const token = await authenticate(app.app, keyOf(env));
    const response = await app.app.inject({
      method: 'POST',
      url: `/metrics/${envOf(env)}?cluster=1`,
      headers: bearer(token),
      payload: batch,
    });
    expect(response.statusCode).toBe(200);
    if (app.app.get(AppConfig).sdkMetrics.postDurationSeconds > 0) {
      await expect.poll(() => messagesRead(app)).toBe(before + 1);
    }
  }

  const forwarded = (env: number, status: number) =>
    emulator.requests({ route: `/metrics/${envOf(env)}` }).filter((r) => r.status === status);

  const bodies = (env: number, kind: keyof SdkMetricsBatch): unknown[] =>
    forwarded(env, 200).flatMap((r) => ((r.body as SdkMetricsBatch)[kind] ?? []) as unknown[]);

  /** `[flag, count]` of every metricsData entry delivered for the environment. */
  const counts = (env: number) =>
    (bodies(env, 'metricsData') as MetricsEntry[]).map((e) => [
      e.attributes.find((a) => a.key === 'featureIdentifier')?.value,
      e.count,
    ]);

  const targets = (env: number) =>
    (bodies(env, 'targetData') as { identifier: string }[]).map((target) => target.identifier);

  it('forwards an unmodified Node SDK’s metrics, aggregated, with the Harness headers', async () => {
    const app = await boot();
    const forwarder = app.app.get(SdkMetricsForwarder);
    const evaluate = async (identifier: string, times: number): Promise<void> => {
      const client: Client = nodeSdkClient(keyOf(0), app.url ?? '');
      await client.waitForInitialization();
      for (let i = 0; i < times; i += 1) {
        await client.boolVariation('dark-mode', { identifier, name: identifier }, false);
      }
      const before = forwarder.bufferedBytes;
      client.close(); // the SDK posts its metrics on close
      await expect.poll(() => forwarder.bufferedBytes, { timeout: 10_000 }).toBeGreaterThan(before);
    };
    await evaluate('alice', 3);
    await evaluate('bob', 2);
    await forwarder.flush();

    expect(counts(0)).toEqual([['dark-mode', 5]]);
    expect(targets(0)).toEqual(['alice', 'bob']);
    const requests = forwarded(0, 200);
    expect(requests).toHaveLength(2);
    for (const request of requests) {
      expect(request).toMatchObject({ status: 200, query: { cluster: '7' } });
      expect(request.headers).toMatchObject({
        'harness-accountid': emulator.account,
        'harness-environmentid': envOf(0),
        'harness-sdk-info': `Proxy ${PROXY_VERSION}`,
        'content-type': 'application/json',
      });
      const token = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
      expect(decodeJwtPayload(token)).toMatchObject({
        key_type: 'Proxy',
        key: sha256Hex(emulator.proxyKey),
      });
    }
  });

  it('sends metricsData and targetData as separate POSTs, one per environment', async () => {
    const app = await boot();
    await post(app, 0, { metricsData: [entry('a', 1), entry('a', 2, 'u2')] });
    await post(app, 0, {
      metricsData: [entry('a', 4), entry('b', 1)],
      targetData: [{ identifier: 'u1' }],
    });
    await post(app, 1, { metricsData: [entry('a', 7)] });
    await app.app.get(SdkMetricsForwarder).flush();

    expect(counts(0)).toEqual([
      ['a', 7],
      ['b', 1],
    ]);
    expect(counts(1)).toEqual([['a', 7]]);
    const kinds = forwarded(0, 200).map((r) => Object.keys(r.body as object).join());
    expect(kinds).toEqual(['metricsData', 'targetData']);
    // The first entry seen is kept as it was: its target attribute is not rewritten.
    expect(bodies(0, 'metricsData')[0]).toEqual(entry('a', 7));
    const scrape = await app.app.inject({ url: '/metrics' });
    expect(scrape.body).toContain(`ff_proxy_metrics_forwarded{envID="${envOf(1)}",error="false"}`);
    for (const label of [`envID="${envOf(1)}"`, 'sdk_type="server"', 'sdk_version="0.1.24"']) {
      expect(scrape.body).toMatch(new RegExp(`ff_proxy_sdk_usage\\{[^}]*${label}`));
    }
  });

  it.each(['503', 'refuse'] as const)(
    'loses nothing when the metrics service is down (%s) during a flush',
    async (outage) => {
      const app = await boot();
      const forwarder = app.app.get(SdkMetricsForwarder);
      await post(app, 0, { metricsData: [entry('a', 4)], targetData: [{ identifier: 'u1' }] });
      await emulator.goDown(outage);
      await forwarder.flush();
      expect(forwarder.bufferedBytes).toBeGreaterThan(0);
      expect(forwarded(0, 200)).toEqual([]);
      await post(app, 0, { metricsData: [entry('a', 1)], targetData: [{ identifier: 'u2' }] });
      await emulator.comeBack();
      await forwarder.flush();

      expect(counts(0)).toEqual([['a', 5]]);
      expect(targets(0)).toEqual(['u1', 'u2']);
      expect(forwarder.bufferedBytes).toBe(0);
      if (outage === '503') {
        expect(forwarded(0, 503)).toHaveLength(2);
      }
    },
  );

  it('flushes as soon as 1 MiB is buffered, without waiting for the timer', async () => {
    const app = await boot();
    const name = 'n'.repeat(300);
    for (let request = 0; request < 3; request += 1) {
      const targetData = Array.from({ length: 1200 }, (_, i) => ({
        identifier: `t-${request}-${i}`,
        name,
      }));
      await post(app, 1, { targetData });
    }
    await expect.poll(() => targets(1).length, { timeout: 15_000 }).toBe(3600);
  });

  it('flushes what is buffered when the proxy shuts down', async () => {
    const app = await boot();
    await post(app, 1, { metricsData: [entry('a', 3)] });
    await app.close();
    t = undefined;
    expect(counts(1)).toEqual([['a', 3]]);
  });

  it('forwards nothing with METRIC_POST_DURATION=0, accepting and dropping metrics', async () => {
    const app = await boot({ METRIC_POST_DURATION: '0' });
    const intake = app.app.get(SdkMetricsService);
    const before = intake.droppedCount;
    await post(app, 0, { metricsData: [entry('a', 3)], targetData: [{ identifier: 'u1' }] });
    expect(intake.droppedCount).toBe(before + 2);
    await app.close();
    t = undefined;
    expect(emulator.requests({ route: /^\/metrics\// })).toEqual([]);
  });
});
