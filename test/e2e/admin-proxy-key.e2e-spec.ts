import type { Client } from '@harnessio/ff-nodejs-server-sdk';
import { Redis } from 'ioredis';
import { CACHE_KEYS } from '../../src/cache/cache-keys.js';
import type { TestApp } from '../support/create-test-app.js';
import { RedisServer } from '../support/redis-server.js';
import { fingerprint as fingerprintOf } from '../../src/common/fingerprint.js';
import { nodeSdkClient } from '../support/node-sdk.js';
import { startPrimary, waitForSync } from '../support/primary.js';
import { SteadyReader } from '../support/steady-reader.js';
import { booleanFlag, environmentSeed } from '../support/upstream-emulator/fixtures.js';
import { UpstreamEmulator } from '../support/upstream-emulator/upstream-emulator.js';

const ADMIN_TOKEN = 'admin-token-for-the-proxy-key-tests';
const TARGET = { identifier: 'key-user', name: 'Key User' };

/** Proxy-key rotation on a primary: live, with no restart and no failed SDK read. */
describe('Admin API: proxy key', () => {
  let emulator: UpstreamEmulator;
  let t: TestApp;
  let sdk: Client;
  let reader: SteadyReader;
  const seed = environmentSeed({ featureConfigs: [booleanFlag('dark-mode')] });
  const sdkKey = seed.apiKeys?.[0] ?? '';
  const configuredKey = () => emulator.proxyKeyOf('relay-proxy');
  let originalKey: string;

  const adminEnv = () => ({
    ADMIN_API_TOKEN: ADMIN_TOKEN,
    ADMIN_SERVICE: emulator.adminUrl,
    ADMIN_SERVICE_TOKEN: emulator.adminApiKey,
    PROXY_KEY_IDENTIFIER: 'relay-proxy',
    ACCOUNT_IDENTIFIER: emulator.account,
  });

  const admin = (path: string, method: 'GET' | 'POST' | 'PUT', body?: unknown) =>
    fetch(`${t.url}/admin/v1/${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      ...(method === 'GET' ? {} : { body: JSON.stringify(body) }),
    });

  const inUse = async () =>
    ((await (await admin('keys', 'GET')).json()) as { proxyKey: { fingerprint: string } }).proxyKey
      .fingerprint;

  /** A change upstream reaches the streaming SDK: the primary's stream works with its key. */
  async function changeReachesSdk(): Promise<void> {
    const state = await sdk.boolVariation('dark-mode', TARGET, true);
    emulator.toggleFlag(seed.id, 'dark-mode', state ? 'off' : 'on');
    await expect
      .poll(() => sdk.boolVariation('dark-mode', TARGET, state), { timeout: 10_000 })
      .toBe(!state);
  }

  beforeAll(async () => {
    emulator = new UpstreamEmulator({ seed: { environments: [seed] }, heartbeatMs: 500 });
    await emulator.start();
    originalKey = configuredKey();
    t = await startPrimary(emulator, adminEnv());
    await waitForSync(t);
    sdk = nodeSdkClient(sdkKey, t.url ?? '');
    await sdk.waitForInitialization();
    reader = new SteadyReader({
      baseUrl: t.url ?? '',
      sdkKey,
      environment: seed.id,
      target: TARGET,
    });
    await reader.start();
  });
  afterAll(async () => {
    await reader.stop();
    sdk.close();
    await t.close();
    await emulator.stop();
  });

  it('rotates through the Harness admin API, live: SDKs see nothing', async () => {
    const response = await admin('proxy-key/rotate', 'POST', { gracePeriod: '1h' });
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      key: string;
      fingerprint: string;
      previousValidUntil: string;
    };
    expect(body.key).toBe(configuredKey());
    expect(body.key).not.toBe(originalKey);
    expect(body.fingerprint).toMatch(/^[0-9a-f]{12}$/);
    expect(Date.parse(body.previousValidUntil) - Date.now()).toBeGreaterThan(3_590_000);
    expect(await inUse()).toBe(body.fingerprint);
    const listed = (await (await admin('keys', 'GET')).json()) as {
      proxyKey: { previous?: { fingerprint: string; validUntil: string } };
    };
    expect(listed.proxyKey.previous).toMatchObject({ validUntil: body.previousValidUntil });
    expect(listed.proxyKey.previous?.fingerprint).toMatch(/^[0-9a-f]{12}$/);
    await waitForSync(t);
    await changeReachesSdk();
    await reader.covers(20);
    expect(reader.failures).toEqual([]);
  });

  it('"0s" revokes the old key at once and the primary carries on with the new one', async () => {
    const response = await admin('proxy-key/rotate', 'POST', { gracePeriod: '0s' });
    expect(response.status).toBe(200);
    // The emulator cuts the stream of the revoked key, as Harness does.
    await waitForSync(t);
    await changeReachesSdk();
    expect(reader.failures).toEqual([]);
  });

  it('PUT: a key Harness refuses is a 422 and the current one stays; a good one goes live', async () => {
    const before = await inUse();
    const refused = await admin('proxy-key', 'PUT', { key: 'not-a-proxy-key' });
    expect(refused.status).toBe(422);
    expect(await inUse()).toBe(before);
    const made = emulator.createProxyKey('made-elsewhere');
    const accepted = await admin('proxy-key', 'PUT', { key: made });
    expect(accepted.status).toBe(200);
    const { fingerprint } = (await accepted.json()) as { fingerprint: string };
    expect(fingerprint).not.toBe(before);
    expect(await inUse()).toBe(fingerprint);
    await waitForSync(t);
    await changeReachesSdk();
  });

  it('answers 400 for bad bodies and 502 when Harness is down, changing nothing', async () => {
    expect((await admin('proxy-key/rotate', 'POST', { gracePeriod: 'soon' })).status).toBe(400);
    expect((await admin('proxy-key', 'PUT', { key: '' })).status).toBe(400);
    expect((await admin('proxy-key', 'PUT', {})).status).toBe(400);
    const before = await inUse();
    await emulator.goDown();
    try {
      const failed = await admin('proxy-key/rotate', 'POST', { gracePeriod: '1h' });
      expect(failed.status).toBe(502);
      expect(await failed.json()).toMatchObject({ code: 'UPSTREAM_FAILED' });
      expect(await inUse()).toBe(before);
    } finally {
      await emulator.comeBack();
    }
    await waitForSync(t);
  });

  it('refuses a grace above 720h with a 400 naming gracePeriod: Harness is not asked', async () => {
    const rotations = () => emulator.requests({ route: /\/admin\/proxy\/keys\// }).length;
    const before = { key: await inUse(), rotations: rotations() };
    for (const gracePeriod of ['9999999999999h', `1${'0'.repeat(400)}h`, '721h']) {
      const response = await admin('proxy-key/rotate', 'POST', { gracePeriod });
      expect(response.status).toBe(400);
      expect(JSON.stringify(await response.json())).toContain('gracePeriod');
    }
    expect({ key: await inUse(), rotations: rotations() }).toEqual(before);
  });

  it('runs concurrent rotations one at a time: the newest key Harness issued is in service', async () => {
    const answers = await Promise.all(
      ['1h', '2h'].map((gracePeriod) => admin('proxy-key/rotate', 'POST', { gracePeriod })),
    );
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    const keys = await Promise.all(
      answers.map(async (a) => ((await a.json()) as { key: string }).key),
    );
    expect(keys).toContain(configuredKey());
    const current = (await (await admin('keys', 'GET')).json()) as {
      proxyKey: { fingerprint: string };
    };
    expect(current.proxyKey.fingerprint).toBe(fingerprintOf(configuredKey()));
    await waitForSync(t);
    await changeReachesSdk();
  });

  it('survives a restart with the environment still naming the first key', async () => {
    const current = await inUse();
    await t.close();
    t = await startPrimary(
      emulator,
      { ...adminEnv(), PROXY_KEY: originalKey },
      { keepRedis: true },
    );
    await waitForSync(t);
    expect(await inUse()).toBe(current);
    expect(emulator.requests({ route: '/proxy/auth' }).at(-1)?.body).not.toMatchObject({
      proxyKey: originalKey,
    });
  });

  it('leaves SDK keys to Harness on a primary: 409', async () => {
    const response = await admin(`environments/${seed.id}/sdk-keys`, 'POST', { kind: 'server' });
    expect(response.status).toBe(409);
  });

  it('names the missing admin settings in a 409', async () => {
    await t.close();
    t = await startPrimary(emulator, { ADMIN_API_TOKEN: ADMIN_TOKEN }, { keepRedis: true });
    const response = await admin('proxy-key/rotate', 'POST', { gracePeriod: '1h' });
    expect(response.status).toBe(409);
    const { message } = (await response.json()) as { message: string };
    expect(message).toContain('ADMIN_SERVICE_TOKEN');
    expect(message).toContain('PROXY_KEY_IDENTIFIER');
    expect(message).toContain('ACCOUNT_IDENTIFIER');
  });
});

/**
 * Once Harness has rotated, the rotation is committed: a cache that cannot seal the new key must
 * not turn the answer, the only one that shows the key, into an error.
 */
describe('Admin API: proxy key rotation with the cache down', () => {
  let emulator: UpstreamEmulator;
  let redis: RedisServer;
  let t: TestApp;

  beforeAll(async () => {
    const seed = environmentSeed({ featureConfigs: [booleanFlag('dark-mode')] });
    emulator = new UpstreamEmulator({ seed: { environments: [seed] }, heartbeatMs: 500 });
    await emulator.start();
    redis = await RedisServer.start();
    t = await startPrimary(
      emulator,
      {
        REDIS_ADDRESS: redis.address,
        REDIS_READ_TIMEOUT: '300ms',
        ADMIN_API_TOKEN: ADMIN_TOKEN,
        ADMIN_SERVICE: emulator.adminUrl,
        ADMIN_SERVICE_TOKEN: emulator.adminApiKey,
        PROXY_KEY_IDENTIFIER: 'relay-proxy',
        ACCOUNT_IDENTIFIER: emulator.account,
      },
      { keepRedis: true },
    );
    await waitForSync(t);
  });
  afterAll(async () => {
    await t.close();
    await redis.stop();
    await emulator.stop();
  });

  it('answers 200 with the new key, in service but not sealed, says so, and seals it once the cache is back', async () => {
    await redis.kill();
    let rotated = '';
    try {
      const response = await fetch(`${t.url}/admin/v1/proxy-key/rotate`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ gracePeriod: '1h' }),
      });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { key: string; fingerprint: string; sealed: boolean };
      expect(body).toMatchObject({ key: emulator.proxyKeyOf('relay-proxy'), sealed: false });
      rotated = body.fingerprint;
      const keys = await fetch(`${t.url}/admin/v1/keys`, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      // Still listed with the cache down, and the SDK keys say where they come from.
      const listed = (await keys.json()) as {
        proxyKey: { fingerprint: string };
        sdkKeysFrom: string;
        environments: { sdkKeys: string[] }[];
      };
      expect(listed.proxyKey.fingerprint).toBe(body.fingerprint);
      expect(listed.sdkKeysFrom).toBe('memory');
      expect(listed.environments.flatMap((env) => env.sdkKeys).length).toBeGreaterThan(0);
    } finally {
      await redis.restart();
    }
    // Sealed at a later check, so a restarted primary would run on it (not on the revoked one).
    const client = new Redis({ port: redis.port });
    try {
      await expect
        .poll(
          async () => {
            const marker = await client.get(CACHE_KEYS.proxyKeyMarker);
            return (JSON.parse(marker ?? '{}') as { fingerprint?: string }).fingerprint;
          },
          { timeout: 20_000 },
        )
        .toBe(rotated);
      expect(await client.get(CACHE_KEYS.proxyKey)).not.toBeNull();
    } finally {
      client.disconnect();
    }
  });
});
