import type { Client } from '@harnessio/ff-nodejs-server-sdk';
import { fingerprint } from '../../src/common/fingerprint.js';
import { buildProxy, type ProxyProcess, spawnProxy, stopProxy } from '../support/built-proxy.js';
import { nodeSdkClient } from '../support/node-sdk.js';
import { freePort } from '../support/ports.js';
import { parseScrape } from '../support/prometheus-text.js';
import { SteadyReader } from '../support/steady-reader.js';
import { booleanFlag, environmentSeed } from '../support/upstream-emulator/fixtures.js';
import { UpstreamEmulator } from '../support/upstream-emulator/upstream-emulator.js';

const ADMIN_TOKEN = 'revoked-key-admin-0123456789abcdef0123456789';
const TARGET = { identifier: 'steady', name: 'Steady' };

interface Health {
  configStatus: { state: string; since: number; reason?: string };
  streamStatus: { state: string };
  cacheStatus: string;
}

/**
 * The proxy key deleted in Harness while the primary runs (the emulator sends `proxyKeyDeleted`,
 * ends the stream and answers 401 at `/proxy/auth` from then on). The compiled relay runs in its
 * own process with the in-memory cache, so its log lines can be counted.
 */
describe('primary: the proxy key revoked upstream', () => {
  const seed = environmentSeed({ featureConfigs: [booleanFlag('dark-mode', { state: 'on' })] });
  const sdkKey = seed.apiKeys?.[0] ?? '';
  let emulator: UpstreamEmulator;
  let proxy: ProxyProcess;
  let base = '';
  let sdk: Client | undefined;

  beforeAll(async () => {
    emulator = new UpstreamEmulator({ seed: { environments: [seed] }, heartbeatMs: 500 });
    await Promise.all([buildProxy(), emulator.start()]);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    proxy = spawnProxy({
      PORT: String(port),
      PROXY_KEY: emulator.proxyKey,
      CLIENT_SERVICE: emulator.url,
      METRIC_SERVICE: emulator.metricsUrl,
      AUTH_SECRET: 'revoked-key-secret',
      ADMIN_API_TOKEN: ADMIN_TOKEN,
      UPSTREAM_POLL_INTERVAL: '1',
      UPSTREAM_STREAM_TIMEOUT: '3',
      ACCESS_LOG: 'false',
    });
    // A plain loop: expect.poll only runs inside tests.
    const deadline = Date.now() + 30_000;
    while ((await health())?.streamStatus.state !== 'CONNECTED') {
      if (Date.now() > deadline || proxy.child.exitCode !== null) {
        throw new Error(`the primary did not sync:\n${proxy.stdout()}${proxy.stderr()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }, 120_000);
  afterAll(async () => {
    sdk?.close();
    await stopProxy(proxy);
    await emulator.stop();
  });

  async function health(): Promise<(Health & { status: number }) | undefined> {
    const response = await fetch(`${base}/health`).catch(() => undefined);
    if (!response) {
      return undefined;
    }
    const text = await response.text();
    return response.status === 200 ? { ...(JSON.parse(text) as Health), status: 200 } : undefined;
  }

  async function keyValidGauge(): Promise<number | undefined> {
    const scrape = parseScrape(await (await fetch(`${base}/metrics`)).text());
    return scrape.matching('ff_relay_proxy_key_valid')[0]?.value;
  }

  const errorLines = (): Record<string, unknown>[] =>
    proxy
      .stdout()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.level === 'error');

  it('keeps serving SDKs from the cache and says so once: /health, a gauge, one ERROR line', async () => {
    sdk = nodeSdkClient(sdkKey, base);
    await sdk.waitForInitialization();
    expect(await sdk.boolVariation('dark-mode', TARGET, false)).toBe(true);
    expect(await keyValidGauge()).toBe(1);
    expect((await health())?.configStatus).toEqual({ state: 'SYNCED', since: expect.any(Number) });
    const reader = new SteadyReader({
      baseUrl: base,
      sdkKey,
      environment: seed.id,
      target: TARGET,
    });
    await reader.start();
    const keyFingerprint = fingerprint(emulator.proxyKey);

    emulator.deleteProxyKey();
    await expect
      .poll(async () => (await health())?.configStatus.reason, { timeout: 10_000 })
      .toBe('PROXY_KEY_REVOKED');
    expect(await health()).toMatchObject({
      status: 200,
      configStatus: { state: 'FAILED_TO_SYNC', reason: 'PROXY_KEY_REVOKED' },
      cacheStatus: 'healthy',
    });
    expect(await keyValidGauge()).toBe(0);
    // Polls go on (each refused at /proxy/auth) without another ERROR line.
    const refusedAfter = emulator
      .requests({ route: '/proxy/auth' })
      .filter((r) => r.status === 401).length;
    await expect
      .poll(
        () => emulator.requests({ route: '/proxy/auth' }).filter((r) => r.status === 401).length,
        { timeout: 10_000 },
      )
      .toBeGreaterThanOrEqual(refusedAfter + 2);
    await reader.covers(20);
    expect(errorLines()).toEqual([
      expect.objectContaining({ fingerprint: keyFingerprint, context: 'ProxyKeyHealth' }),
    ]);
    expect(JSON.stringify(errorLines())).not.toContain(sdkKey);

    // Never a 401 or an empty list: an SDK that starts now is served the cached config too.
    const late = nodeSdkClient(sdkKey, base, { enableStream: false });
    try {
      await late.waitForInitialization();
      expect(await late.boolVariation('dark-mode', TARGET, false)).toBe(true);
    } finally {
      late.close();
    }
    expect(await sdk.boolVariation('dark-mode', TARGET, false)).toBe(true);
    expect((await reader.stop()).failures).toEqual([]);
  });

  it('syncs again, and says so, once given a key upstream accepts (Admin API)', async () => {
    const replacement = emulator.createProxyKey('replacement');
    const response = await fetch(`${base}/admin/v1/proxy-key`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ key: replacement }),
    });
    expect(response.status).toBe(200);
    await expect
      .poll(async () => (await health())?.configStatus, { timeout: 10_000 })
      .toEqual({ state: 'SYNCED', since: expect.any(Number) });
    expect(await keyValidGauge()).toBe(1);
    expect(proxy.stdout()).toContain('the proxy key is accepted again');
    emulator.toggleFlag(seed.id, 'dark-mode', 'off');
    await expect.poll(() => sdk?.boolVariation('dark-mode', TARGET, true)).toBe(false);
  });
});
