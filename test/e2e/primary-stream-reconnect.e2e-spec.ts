import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@harnessio/ff-nodejs-server-sdk';
import { ProxyStatus, type StreamState } from '../../src/status/proxy-status.service.js';
import type { TestApp } from '../support/create-test-app.js';
import { nodeSdkClient } from '../support/node-sdk.js';
import { startPrimary, waitForSync } from '../support/primary.js';
import { authenticate, bearer } from '../support/sdk-requests.js';
import { SseClient } from '../support/sse-client.js';
import { booleanFlag, environmentSeed } from '../support/upstream-emulator/fixtures.js';
import { UpstreamEmulator } from '../support/upstream-emulator/upstream-emulator.js';

const ADMIN_TOKEN = 'admin-token-for-the-stream-tests-32';
/** Far above every deadline below: only the reopened stream can bring a change in time. */
const POLL_INTERVAL_S = 300;
/** Well under the poll interval, and under the Node SDK's own 60 s poll. */
const DEADLINE_MS = 20_000;
const TARGET = { identifier: 'user-1', name: 'User 1' };

/** A drop of the upstream stream with the upstream healthy costs SDKs no more than a reconnect. */
describe('primary mode: the upstream stream comes back at once', () => {
  let emulator: UpstreamEmulator;
  let t: TestApp;
  let sdk: Client;
  let states: StreamState[];
  let stopWatching: () => void;
  const seed = environmentSeed({ featureConfigs: [booleanFlag('dark-mode')] });
  const sdkKey = seed.apiKeys?.[0] ?? '';

  beforeEach(async () => {
    emulator = new UpstreamEmulator({ seed: { environments: [seed] }, heartbeatMs: 500 });
    await emulator.start();
    t = await startPrimary(emulator, {
      UPSTREAM_POLL_INTERVAL: String(POLL_INTERVAL_S),
      ADMIN_API_TOKEN: ADMIN_TOKEN,
      ADMIN_SERVICE: emulator.adminUrl,
      ADMIN_SERVICE_TOKEN: emulator.adminApiKey,
      PROXY_KEY_IDENTIFIER: 'relay-proxy',
      ACCOUNT_IDENTIFIER: emulator.account,
    });
    await waitForSync(t);
    sdk = nodeSdkClient(sdkKey, t.url ?? '');
    await sdk.waitForInitialization();
    // A first change proves the SDK streams from the proxy before anything is cut.
    await changeReachesSdk('warm-up');
    states = [];
    stopWatching = t.app.get(ProxyStatus).onStreamChange((state) => states.push(state));
  });
  afterEach(async () => {
    stopWatching();
    sdk.close();
    await t.close();
    await emulator.stop();
  });

  /** Flips the flag upstream; resolves with how long the streaming SDK took to see it (ms). */
  async function changeReachesSdk(what: string): Promise<number> {
    const before = await sdk.boolVariation('dark-mode', TARGET, true);
    emulator.toggleFlag(seed.id, 'dark-mode', before ? 'off' : 'on');
    const changed = Date.now();
    await expect
      .poll(() => sdk.boolVariation('dark-mode', TARGET, before), {
        timeout: DEADLINE_MS,
        interval: 50,
      })
      .toBe(!before);
    const ms = Date.now() - changed;
    console.log(`${what}: the change reached the streaming SDK ${ms} ms after it was made`);
    return ms;
  }

  /** When the proxy's first `/stream` request after `since` reached the emulator. */
  function reopenedAt(since: number): number | undefined {
    return emulator.requests({ route: '/stream' }).find((r) => r.at >= since)?.at;
  }

  async function healthStreamState(): Promise<string> {
    const response = await t.app.inject({ method: 'GET', url: '/health' });
    return response.json<{ streamStatus: { state: string } }>().streamStatus.state;
  }

  async function sdkStream(): Promise<SseClient> {
    const token = await authenticate(t.app, sdkKey);
    const stream = await SseClient.connect(`${t.url}/stream`, {
      headers: { ...bearer(token), 'API-Key': sdkKey },
    });
    await stream.waitFor(() => stream.heartbeats > 0);
    return stream;
  }

  it('a cut with the upstream healthy: reconnects at once, a change 2 s later reaches SDKs', async () => {
    const held = await sdkStream();
    const cut = Date.now();
    emulator.cutStreams();
    await sleep(2_000);
    await changeReachesSdk('change 2 s after a cut');
    console.log(`stream reopened ${(reopenedAt(cut) ?? NaN) - cut} ms after the cut`);
    await expect.poll(healthStreamState).toBe('CONNECTED');
    // A plain drop is no outage: SDK streams stay open, /stream keeps answering.
    expect(states).not.toContain('DISCONNECTED');
    expect(held.end).toBeUndefined();
    held.close();
    expect((await sdkStream()).status).toBe(200);
  });

  it.each([
    ['a reset', (e: UpstreamEmulator) => e.cutStreams()],
    ['a clean end', (e: UpstreamEmulator) => e.endStreams()],
    [
      'an endOfStream event',
      (e: UpstreamEmulator) => void e.emit({ event: 'endOfStream', domain: 'proxy' }),
    ],
  ])('a change made in the gap after %s is not lost: the reconnect resyncs', async (_, end) => {
    const before = await sdk.boolVariation('dark-mode', TARGET, true);
    end(emulator);
    // Nothing can reconnect between these two lines: no stream hears of this change.
    emulator.toggleFlag(seed.id, 'dark-mode', before ? 'off' : 'on');
    const changed = Date.now();
    await expect
      .poll(() => sdk.boolVariation('dark-mode', TARGET, before), {
        timeout: DEADLINE_MS,
        interval: 50,
      })
      .toBe(!before);
    console.log(`change in the gap: reached the SDK ${Date.now() - changed} ms after`);
    await waitForSync(t);
    expect(states).not.toContain('DISCONNECTED');
  });

  it('rotation race: a key revoked at once ("0s") cuts the stream; the new key reopens it', async () => {
    const rotated = Date.now();
    const response = await fetch(`${t.url}/admin/v1/proxy-key/rotate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ gracePeriod: '0s' }),
    });
    expect(response.status).toBe(200);
    const { key } = (await response.json()) as { key: string };
    await changeReachesSdk('change right after a 0s rotation');
    const reopened = emulator
      .requests({ route: '/stream' })
      .find((r) => r.at >= rotated && r.headers['api-key'] === key);
    console.log(`stream reopened with the new key ${(reopened?.at ?? NaN) - rotated} ms after`);
    console.log(`stream states meanwhile: ${states.join(', ') || 'none'}`);
    await waitForSync(t);
  });

  it('a key revoked elsewhere: DISCONNECTED until the new one is set, then back at once', async () => {
    const key = emulator.rotateProxyKey({ graceMs: 0 });
    // The old key is refused: said so (SDKs are still served from the cache).
    await waitForSync(t, 'FAILED_TO_SYNC', 'DISCONNECTED');
    expect(t.app.get(ProxyStatus).config.reason).toBe('PROXY_KEY_REVOKED');
    const set = Date.now();
    const response = await fetch(`${t.url}/admin/v1/proxy-key`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ key }),
    });
    expect(response.status).toBe(200);
    await waitForSync(t);
    console.log(`CONNECTED ${Date.now() - set} ms after the new key was set`);
    await changeReachesSdk('change after the new key was set');
  });
});
