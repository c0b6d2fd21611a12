import { Redis } from 'ioredis';
import { CACHE_KEYS } from '../../src/cache/cache-keys.js';
import { fingerprint } from '../../src/common/fingerprint.js';
import { buildProxy, spawnProxy } from '../support/built-proxy.js';
import { TEST_AUTH_SECRET, type TestApp } from '../support/create-test-app.js';
import { freePort } from '../support/ports.js';
import { startPrimary, waitForSync } from '../support/primary.js';
import { parseScrape } from '../support/prometheus-text.js';
import { RedisServer } from '../support/redis-server.js';
import { Instance } from '../support/topology.js';
import { booleanFlag, environmentSeed } from '../support/upstream-emulator/fixtures.js';
import { UpstreamEmulator } from '../support/upstream-emulator/upstream-emulator.js';

const ADMIN_TOKEN = 'sealed-proxy-key-admin-0123456789abcdef0123456789';
const SEALED = CACHE_KEYS.proxyKey;
const MARKER = CACHE_KEYS.proxyKeyMarker;

/**
 * The sealed proxy key against someone who can write Redis: a primary never goes back to a key
 * older than the one in service (Harness may have revoked it), writes a lost one back, and will
 * not boot on a rolled-back one.
 */
describe('Sealed proxy key in a hostile Redis', () => {
  let redis: RedisServer;
  let client: Redis;
  let emulator: UpstreamEmulator;
  let t: TestApp;
  let running = false;
  let original: string;
  const seed = environmentSeed({ featureConfigs: [booleanFlag('dark-mode')] });

  const env = (proxyKey: string) => ({
    REDIS_ADDRESS: redis.address,
    ADMIN_API_TOKEN: ADMIN_TOKEN,
    ADMIN_SERVICE: emulator.adminUrl,
    ADMIN_SERVICE_TOKEN: emulator.adminApiKey,
    PROXY_KEY_IDENTIFIER: 'relay-proxy',
    ACCOUNT_IDENTIFIER: emulator.account,
    PROXY_KEY: proxyKey,
  });
  /** The same primary as the compiled relay in a process of its own (exit code, stderr). */
  const processEnv = (proxyKey: string) => ({
    ...env(proxyKey),
    OFFLINE: 'false',
    AUTH_SECRET: TEST_AUTH_SECRET,
    CLIENT_SERVICE: emulator.url,
    METRIC_SERVICE: emulator.metricsUrl,
    LOG_LEVEL: 'ERROR',
  });

  const admin = (path: string, method: 'GET' | 'POST', body?: unknown, base = t.url) =>
    fetch(`${base}/admin/v1/${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const inUse = async (base = t.url) =>
    (
      (await (await admin('keys', 'GET', undefined, base)).json()) as {
        proxyKey: { fingerprint: string };
      }
    ).proxyKey.fingerprint;
  const epochOf = (box: string | null) => (box?.startsWith('v2.') ? Number(box.split('.')[1]) : -1);

  beforeAll(async () => {
    await buildProxy();
    redis = await RedisServer.start();
    client = new Redis({ port: redis.port });
    emulator = new UpstreamEmulator({ seed: { environments: [seed] }, heartbeatMs: 500 });
    await emulator.start();
    original = emulator.proxyKeyOf('relay-proxy');
    t = await startPrimary(emulator, env(original), { keepRedis: true });
    running = true;
    await waitForSync(t);
  }, 60_000);
  afterAll(async () => {
    client.disconnect();
    if (running) {
      await t.close();
    }
    await emulator.stop();
    await redis.stop();
  });

  let older: { box: string | null; marker: string | null };
  let inService: string;

  it('writes back a rolled-back, deleted or damaged key while it runs', async () => {
    expect((await admin('proxy-key/rotate', 'POST', { gracePeriod: '1h' })).status).toBe(200);
    older = { box: await client.get(SEALED), marker: await client.get(MARKER) };
    const response = await admin('proxy-key/rotate', 'POST', { gracePeriod: '0s' });
    inService = ((await response.json()) as { key: string }).key;
    // Sealed one epoch up: at once, or at the next check if the cache did not take it at once.
    const epoch = epochOf(older.box) + 1;
    await expect
      .poll(async () => epochOf(await client.get(SEALED)), { timeout: 30_000 })
      .toBe(epoch);
    const damages: [() => Promise<unknown>, string | null][] = [
      [() => client.mset(SEALED, older.box ?? '', MARKER, older.marker ?? ''), older.box],
      [() => client.del(SEALED, MARKER), null],
      [() => client.set(SEALED, 'not a sealed box'), 'not a sealed box'],
    ];
    for (const [damage, damaged] of damages) {
      await damage();
      await expect
        .poll(
          async () => {
            const box = await client.get(SEALED);
            return box !== null && box !== damaged && epochOf(box) === epoch;
          },
          // The write-back runs on the seal job's period; a loaded machine stretches it.
          { timeout: 30_000, interval: 100 },
        )
        .toBe(true);
    }
    const scrape = parseScrape(await (await fetch(`${t.url}/metrics`)).text());
    expect(scrape.value('ff_proxy_sealed_state_rollbacks_total', { state: 'proxy-key' })).toBe(1);
    expect(await inUse()).toBe(fingerprint(inService));
  }, 120_000);

  it('refuses to boot on a rolled-back key, in one line, and boots on the key in service', async () => {
    await t.close();
    running = false;
    await client.set(SEALED, older.box ?? '');
    const authsBefore = emulator.requests({ route: '/proxy/auth' }).length;
    const refused = spawnProxy({ ...processEnv(original), PORT: String(await freePort()) });
    const deadline = new Promise<string>((resolve) =>
      setTimeout(() => resolve('still running after 20 s'), 20_000).unref(),
    );
    expect(await Promise.race([refused.exited, deadline])).toBe(1);
    const lines = refused.stderr().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^ff-relay cannot start: the proxy key sealed in redis cannot be used/,
    );
    // It never authenticated upstream with the rolled-back (revoked) key.
    expect(emulator.requests({ route: '/proxy/auth' })).toHaveLength(authsBefore);

    // With PROXY_KEY naming the key in service it boots, on that key.
    const fixed = new Instance('fixed', await freePort(), processEnv(inService));
    await fixed.start();
    try {
      expect(await inUse(fixed.url)).toBe(fingerprint(inService));
    } finally {
      await fixed.kill();
    }
  }, 60_000);
});
