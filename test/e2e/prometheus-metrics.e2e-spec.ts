import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { PRODUCTION_ENV_UUID, PRODUCTION_SERVER_SDK_KEY } from '../support/example-config.js';
import { startPrimary, waitForSync } from '../support/primary.js';
import { parseScrape, type Scrape } from '../support/prometheus-text.js';
import { authenticate, bearer } from '../support/sdk-requests.js';
import { SseClient } from '../support/sse-client.js';
import { booleanFlag, environmentSeed } from '../support/upstream-emulator/fixtures.js';
import { UpstreamEmulator } from '../support/upstream-emulator/upstream-emulator.js';

async function scrape(t: TestApp): Promise<Scrape> {
  return parseScrape((await t.app.inject({ url: '/metrics' })).body);
}

const SAAS = 'ff_proxy_saas_to_primary_sse_consumer';
const TO_REPLICA = 'ff_proxy_primary_to_replica_sse_producer';
const PRIMARY_TO_SDK = 'ff_proxy_primary_to_sdk_sse_producer';
const METRICS_CONSUMER = 'ff_proxy_primary_metrics_stream_consumer';
const REPLICA_CONSUMER = 'ff_proxy_replica_sse_consumer';
const REPLICA_TO_SDK = 'ff_proxy_replica_to_sdk_sse_producer';
const METRICS_PRODUCER = 'ff_proxy_replica_metrics_stream_producer';
const CLIENT_SERVICE = 'ff_proxy_to_client_service_requests';
const CLIENT_SERVICE_DURATION = 'ff_proxy_to_ff_client_service_requests_duration';
const MEMOIZE = ['hit', 'miss', 'write_marshal', 'hit_with_unmarshal'].map(
  (name) => `ff_proxy_memoize_cache_${name}`,
);

describe('the memoize counters', () => {
  let t: TestApp;
  beforeAll(async () => (t = await createTestApp()));
  afterAll(() => t.close());

  it('are exported at 0 from startup, then count decodes as misses and decoded reads as hits', async () => {
    const start = await scrape(t);
    for (const name of MEMOIZE) {
      expect(start.matching(name)).toHaveLength(1);
    }
    expect(start.value('ff_proxy_memoize_cache_hit')).toBe(0);
    expect(start.value('ff_proxy_memoize_cache_miss')).toBe(0);
    // Loading the offline config wrote every value, serialised.
    expect(start.value('ff_proxy_memoize_cache_write_marshal')).toBeGreaterThan(0);
    const token = await authenticate(t.app, PRODUCTION_SERVER_SDK_KEY);
    const url = `/client/env/${PRODUCTION_ENV_UUID}/feature-configs`;
    await t.app.inject({ url, headers: bearer(token) });
    const first = await scrape(t);
    await t.app.inject({ url, headers: bearer(token) });
    const second = await scrape(t);
    expect(first.value('ff_proxy_memoize_cache_miss')).toBeGreaterThan(0);
    expect(second.value('ff_proxy_memoize_cache_miss')).toBe(
      first.value('ff_proxy_memoize_cache_miss'),
    );
    expect(second.value('ff_proxy_memoize_cache_hit')).toBeGreaterThan(
      first.value('ff_proxy_memoize_cache_hit'),
    );
    expect(second.value('ff_proxy_memoize_cache_hit_with_unmarshal')).toBe(0);
  });
});

describe('the role metrics of a primary and its read replica', () => {
  let emulator: UpstreamEmulator;
  let primary: TestApp;
  let replica: TestApp;
  const seed = environmentSeed();
  const env = seed.id;
  const sdkKey = seed.apiKeys?.[0] ?? '';
  const streams: SseClient[] = [];

  beforeAll(async () => {
    emulator = new UpstreamEmulator({ seed: { environments: [seed] }, heartbeatMs: 500 });
    await emulator.start();
    primary = await startPrimary(emulator, { FORWARD_TARGETS: 'true' });
    await waitForSync(primary);
    replica = await createTestApp(
      { READ_REPLICA: 'true', FORWARD_TARGETS: 'false' },
      { keepRedis: true, listen: true },
    );
    await waitForSync(replica, 'READ_REPLICA', 'CONNECTED');
  });
  afterAll(async () => {
    streams.forEach((s) => s.close());
    await replica.close();
    await primary.close();
    await emulator.stop();
  });

  async function sdkStream(t: TestApp): Promise<SseClient> {
    const token = await authenticate(t.app, sdkKey);
    const stream = await SseClient.connect(`${t.url ?? ''}/stream`, {
      headers: { ...bearer(token), 'API-Key': sdkKey },
    });
    streams.push(stream);
    await stream.waitFor(() => stream.heartbeats > 0);
    return stream;
  }

  it('counts the client-service calls of startup, per /proxy/config page, with Harness labels', async () => {
    const s = await scrape(primary);
    expect(s.value(CLIENT_SERVICE, { url: '/proxy/auth', envID: '', code: '200' })).toBe(1);
    const pages = emulator.requests({ route: '/proxy/config' }).length;
    expect(pages).toBeGreaterThan(0);
    expect(s.value(CLIENT_SERVICE, { url: '/proxy/config', envID: '', code: '200' })).toBe(pages);
    expect(s.value(`${CLIENT_SERVICE_DURATION}_count`, { url: '/proxy/config', envID: '' })).toBe(
      pages,
    );
    expect(s.buckets(CLIENT_SERVICE_DURATION)).toEqual([0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.75, 1]);
    // Neither the account stream nor metrics posts are counted here.
    expect(s.matching(CLIENT_SERVICE, { url: '/stream' })).toEqual([]);
  });

  it('counts Redis cache operations by outcome on both roles', async () => {
    const s = await scrape(primary);
    for (const op of ['write', 'read', 'scan']) {
      expect(s.value(`ff_proxy_redis_cache_${op}_count`, { error: 'false' })).toBeGreaterThan(0);
    }
    expect(s.value('ff_proxy_redis_cache_write_duration_count')).toBeGreaterThan(0);
    expect(s.buckets('ff_proxy_redis_cache_read_duration')).toEqual([
      0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5,
    ]);
    const r = await scrape(replica);
    expect(r.value('ff_proxy_redis_cache_read_count', { error: 'false' })).toBeGreaterThan(0);
    expect(r.types.get('ff_proxy_redis_cache_remove_count')).toBe('counter');
  });

  it('counts a flag change from the SaaS stream to the SDKs and replicas of both roles', async () => {
    const [onPrimary, onReplica] = [await sdkStream(primary), await sdkStream(replica)];
    const before = [await scrape(primary), await scrape(replica)] as const;
    expect(before[0].value(`${SAAS}_subscription_requests`, { topic: '*' })).toBeGreaterThan(0);
    emulator.toggleFlag(env, 'dark-mode', 'on');
    await onPrimary.next();
    await onReplica.next();
    const [p, r] = [await scrape(primary), await scrape(replica)];
    const moved = (s: Scrape, b: Scrape, name: string, labels: Record<string, string>) =>
      s.value(name, labels) - b.value(name, labels);
    expect(moved(p, before[0], `${SAAS}_messages_received`, { topic: '*', error: 'false' })).toBe(
      1,
    );
    const published = { topic: env, error: 'false' };
    expect(moved(p, before[0], `${PRIMARY_TO_SDK}_messages_published`, published)).toBe(1);
    const sseEvents = { topic: 'proxy:sse_events', error: 'false' };
    expect(moved(p, before[0], `${TO_REPLICA}_messages_published`, sseEvents)).toBe(1);
    expect(
      p.value(`${TO_REPLICA}_messages_published`, {
        topic: 'proxy:primary_to_replica_control_events',
        error: 'false',
      }),
    ).toBeGreaterThan(0);
    expect(moved(r, before[1], `${REPLICA_CONSUMER}_messages_received`, sseEvents)).toBe(1);
    expect(
      r.value(`${REPLICA_CONSUMER}_subscription_requests`, { topic: 'proxy:sse_events' }),
    ).toBe(1);
    expect(moved(r, before[1], `${REPLICA_TO_SDK}_messages_published`, published)).toBe(1);
  });

  it('counts the refetch of a changed flag and a forwarded target with their labels', async () => {
    const refetch = { url: '/client/env/:env/feature-configs', envID: env, code: '200' };
    const before = (await scrape(primary)).value(CLIENT_SERVICE, refetch);
    const toSdks = { topic: env, error: 'false' };
    const replicaBefore = (await scrape(replica)).value(
      `${REPLICA_TO_SDK}_messages_published`,
      toSdks,
    );
    emulator.upsertFlag(env, booleanFlag('refetched'));
    await expect
      .poll(async () => (await scrape(primary)).value(CLIENT_SERVICE, refetch))
      .toBeGreaterThan(before);
    // Until the change has gone all the way, so no other test sees it moving counters.
    await expect
      .poll(async () =>
        (await scrape(replica)).value(`${REPLICA_TO_SDK}_messages_published`, toSdks),
      )
      .toBeGreaterThan(replicaBefore);
    await authenticate(primary.app, sdkKey, { identifier: 'forwarded', name: 'Forwarded' });
    const forwarded = { url: '/client/auth', envID: '', code: '200' };
    await expect.poll(async () => (await scrape(primary)).value(CLIENT_SERVICE, forwarded)).toBe(1);
  });

  it('counts an unparseable SaaS stream message as err_parsing_message, never error="true"', async () => {
    emulator.emitRaw('data: {not json\n\n');
    const labels = { topic: '*', error: 'err_parsing_message' };
    await expect
      .poll(async () => (await scrape(primary)).value(`${SAAS}_messages_received`, labels))
      .toBe(1);
    expect(
      (await scrape(primary)).matching(`${SAAS}_messages_received`, { error: 'true' }),
    ).toEqual([]);
  });

  it('counts SDK metrics from the replica through stream:sdk_metrics to the primary', async () => {
    const token = await authenticate(replica.app, sdkKey);
    const response = await replica.app.inject({
      method: 'POST',
      url: `/metrics/${env}`,
      headers: bearer(token),
      payload: { metricsData: [], targetData: [{ identifier: 'u', name: 'U', attributes: [] }] },
    });
    expect(response.statusCode).toBeLessThan(300);
    const topic = { topic: 'stream:sdk_metrics', error: 'false' };
    await expect
      .poll(async () =>
        (await scrape(replica)).value(`${METRICS_PRODUCER}_messages_published`, topic),
      )
      .toBe(1);
    await expect
      .poll(async () =>
        (await scrape(primary)).value(`${METRICS_CONSUMER}_messages_received`, topic),
      )
      .toBe(1);
    const p = await scrape(primary);
    expect(
      p.value(`${METRICS_CONSUMER}_subscription_requests`, { topic: 'stream:sdk_metrics' }),
    ).toBe(1);
  });

  it('registers each stream prefix, the polling and proxy-key gauges only in the role that owns them', async () => {
    const [p, r] = [await scrape(primary), await scrape(replica)];
    const primaryOnly = [SAAS, TO_REPLICA, PRIMARY_TO_SDK, METRICS_CONSUMER];
    const replicaOnly = [REPLICA_CONSUMER, REPLICA_TO_SDK, METRICS_PRODUCER];
    for (const prefix of primaryOnly) {
      expect(p.has(`${prefix}_messages_published`)).toBe(true);
      expect(r.has(`${prefix}_messages_received`)).toBe(false);
    }
    for (const prefix of replicaOnly) {
      expect(r.has(`${prefix}_subscription_requests`)).toBe(true);
      expect(p.has(`${prefix}_messages_published`)).toBe(false);
    }
    expect(p.has('ff_proxy_polling_status')).toBe(true);
    expect(r.has('ff_proxy_polling_status')).toBe(false);
    expect(p.value('ff_relay_proxy_key_valid')).toBe(1);
    expect(r.has('ff_relay_proxy_key_valid')).toBe(false);
    expect(r.value('ff_proxy_stream_health')).toBe(1);
    for (const s of [p, r]) {
      expect(s.has('ff_proxy_metrics_forwarded')).toBe(true);
      expect(s.has(CLIENT_SERVICE)).toBe(true);
    }
  });
});
