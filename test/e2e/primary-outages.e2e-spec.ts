import { CACHE_KEYS } from '../../src/cache/cache-keys.js';
import { ProxyStatus } from '../../src/status/proxy-status.service.js';
import type { TestApp } from '../support/create-test-app.js';
import { nodeSdkClient } from '../support/node-sdk.js';
import { startPrimary, waitForSync } from '../support/primary.js';
import { testRedisClient } from '../support/redis.js';
import { authenticate, bearer } from '../support/sdk-requests.js';
import { SseClient } from '../support/sse-client.js';
import { booleanFlag, environmentSeed } from '../support/upstream-emulator/fixtures.js';
import { UpstreamEmulator } from '../support/upstream-emulator/upstream-emulator.js';

/**
 * Stream loss, dead streams, token expiry and resync (docs/upstream.md); plain drops
 * of a healthy upstream are in primary-stream-reconnect.e2e-spec.ts.
 */
describe('primary mode: upstream outages', () => {
  let emulator: UpstreamEmulator;
  let t: TestApp;
  const seed = environmentSeed({ featureConfigs: [booleanFlag('dark-mode'), booleanFlag('old')] });
  const env = seed.id;
  const sdkKey = seed.apiKeys?.[0] ?? '';
  const target = { identifier: 'user-1', name: 'User 1' };

  beforeEach(async () => {
    emulator = new UpstreamEmulator({ seed: { environments: [seed] }, heartbeatMs: 500 });
    await emulator.start();
    t = await startPrimary(emulator);
    await waitForSync(t);
  });
  afterEach(async () => {
    await t.close();
    await emulator.stop();
  });

  /** The flag's state as the proxy serves it to SDKs. */
  async function flagState(feature: string): Promise<string> {
    const token = await authenticate(t.app, sdkKey);
    const flag = await t.app.inject({
      url: `/client/env/${env}/feature-configs/${feature}`,
      headers: bearer(token),
    });
    return flag.json<{ state: string }>().state;
  }

  async function sdkStream(): Promise<SseClient> {
    const token = await authenticate(t.app, sdkKey);
    return SseClient.connect(`${t.url}/stream`, {
      headers: { ...bearer(token), 'API-Key': sdkKey },
    });
  }

  it('stream lost: SDK streams end, new ones get 503, polling keeps the SDK current', async () => {
    const client = nodeSdkClient(sdkKey, t.url ?? '');
    try {
      await client.waitForInitialization();
      expect(await client.boolVariation('dark-mode', target, true)).toBe(false);
      const open = await sdkStream();
      await open.waitFor(() => open.heartbeats > 0);
      emulator.refuseStreams(503);
      await waitForSync(t, 'SYNCED', 'DISCONNECTED');
      expect((await open.ended).kind).toBe('eof');
      const redis = testRedisClient();
      await expect
        .poll(async () => (await redis.get(CACHE_KEYS.streamHealth)) ?? '')
        .toContain('"DISCONNECTED"');
      redis.disconnect();
      const refused = await sdkStream();
      expect(refused.status).toBe(503);
      emulator.toggleFlag(env, 'dark-mode', 'on');
      // No event can reach the proxy: it polls upstream, and the SDK polls the proxy (the Node
      // SDK polls at most once a minute, hence the long wait).
      await expect
        .poll(() => client.boolVariation('dark-mode', target, false), {
          timeout: 80_000,
          interval: 500,
        })
        .toBe(true);
      emulator.acceptStreams();
      await waitForSync(t);
      expect((await sdkStream()).status).toBe(200);
    } finally {
      client.close();
    }
  }, 120_000);

  it('a change made upstream during an outage reaches a streaming SDK once it is back', async () => {
    const client = nodeSdkClient(sdkKey, t.url ?? '');
    try {
      await client.waitForInitialization();
      expect(await client.boolVariation('dark-mode', target, true)).toBe(false);
      await emulator.goDown();
      await waitForSync(t, 'SYNCED', 'DISCONNECTED');
      emulator.toggleFlag(env, 'dark-mode', 'on');
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      await emulator.comeBack();
      const back = Date.now();
      // The proxy resyncs and announces the change, but the SDK's stream was refused while the
      // upstream was away and reconnects seconds later; it stops polling when it does, so only
      // the replay of the resync's events to new streams can bring it the change.
      await expect
        .poll(() => client.boolVariation('dark-mode', target, false), {
          timeout: 45_000,
          interval: 250,
        })
        .toBe(true);
      console.log(`change made during an outage reached the SDK ${Date.now() - back} ms after`);
    } finally {
      client.close();
    }
  }, 90_000);

  it('a silent (half-open) stream is detected by the watchdog and replaced at once', async () => {
    const before = emulator.requests({ route: '/stream' }).length;
    emulator.stallStreams();
    await expect
      .poll(() => emulator.requests({ route: '/stream' }).length, { timeout: 10_000 })
      .toBeGreaterThan(before);
    await waitForSync(t);
    emulator.toggleFlag(env, 'dark-mode', 'on');
    await expect.poll(() => flagState('dark-mode')).toBe('on');
  });

  it('re-authenticates when upstream refuses the token, and reconnects at once', async () => {
    const auths = emulator.requests({ route: '/proxy/auth' }).length;
    const states: string[] = [];
    const stop = t.app.get(ProxyStatus).onStreamChange((state) => states.push(state));
    emulator.revokeTokens();
    emulator.cutStreams();
    await expect.poll(() => emulator.openStreams).toBe(1);
    expect(emulator.requests({ route: '/proxy/auth' }).length).toBeGreaterThan(auths);
    await waitForSync(t);
    stop();
    // A refused token renewed at once is not an outage: SDK streams were never closed.
    expect(states).not.toContain('DISCONNECTED');
    emulator.toggleFlag(env, 'dark-mode', 'on');
    await expect.poll(() => flagState('dark-mode')).toBe('on');
  });

  it('resyncs on reconnect and deletes what upstream no longer has (smart cleanup)', async () => {
    emulator.refuseStreams(503);
    await waitForSync(t, 'SYNCED', 'DISCONNECTED');
    // Removed while no stream was open: no event will ever tell the proxy.
    emulator.deleteFlag(env, 'old');
    emulator.acceptStreams();
    await waitForSync(t);
    const redis = testRedisClient();
    await expect.poll(() => redis.exists(CACHE_KEYS.featureConfig(env, 'old'))).toBe(0);
    redis.disconnect();
    const token = await authenticate(t.app, sdkKey);
    const old = await t.app.inject({
      url: `/client/env/${env}/feature-configs/old`,
      headers: bearer(token),
    });
    expect(old.statusCode).toBe(404);
  });

  it('keeps running when an event is malformed or unknown', async () => {
    emulator.emitRaw('data: {not json\n\n');
    emulator.emit({ event: 'somethingNew', domain: 'proxy' });
    emulator.emit({ event: 'apiKeyAdded', domain: 'proxy', environments: [], apiKey: 'x' });
    emulator.toggleFlag(env, 'dark-mode', 'on');
    await expect.poll(() => flagState('dark-mode')).toBe('on');
  });
});
