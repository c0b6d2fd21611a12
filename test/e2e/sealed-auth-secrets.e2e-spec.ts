import { Redis } from 'ioredis';
import { CACHE_KEYS } from '../../src/cache/cache-keys.js';
import { buildProxy } from '../support/built-proxy.js';
import { createTestApp, TEST_AUTH_SECRET, type TestApp } from '../support/create-test-app.js';
import {
  EXAMPLE_CONFIG_DIR,
  PRODUCTION_ENV_UUID,
  PRODUCTION_SERVER_SDK_KEY,
} from '../support/example-config.js';
import { freePort } from '../support/ports.js';
import { parseScrape } from '../support/prometheus-text.js';
import { RedisServer } from '../support/redis-server.js';
import { Instance } from '../support/topology.js';

const ADMIN_TOKEN = 'sealed-admin-token-0123456789abcdef0123456789';
const SEALED = CACHE_KEYS.authSecrets;
const MARKER = CACHE_KEYS.authSecretsMarker;

type Node = { url: string | undefined };

/**
 * The sealed SDK-token secrets against someone who can write Redis: two instances on one Redis,
 * `a` in this process, `b` the compiled relay in its own. A value restored, deleted, damaged or
 * cut never brings a retired secret back nor silently splits the instances.
 */
describe('Sealed SDK-token secrets in a hostile Redis', () => {
  let redis: RedisServer;
  let client: Redis;
  let a: TestApp;
  let b: Instance;
  const env = () => ({
    OFFLINE: 'true',
    CONFIG_DIR: EXAMPLE_CONFIG_DIR,
    REDIS_ADDRESS: redis.address,
    ADMIN_API_TOKEN: ADMIN_TOKEN,
  });
  const startA = async () => {
    a = await createTestApp(env(), { listen: true, keepRedis: true });
  };

  beforeAll(async () => {
    await buildProxy();
    redis = await RedisServer.start();
    client = new Redis({ port: redis.port });
    await startA();
    b = new Instance('b', await freePort(), { ...env(), AUTH_SECRET: TEST_AUTH_SECRET });
    await b.start();
  }, 60_000);
  afterAll(async () => {
    client.disconnect();
    await a.close();
    await b.kill();
    await redis.stop();
  });

  async function token(node: Node): Promise<string> {
    const response = await fetch(`${node.url}/client/auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apiKey: PRODUCTION_SERVER_SDK_KEY }),
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { authToken: string }).authToken;
  }

  async function read(node: Node, authToken: string): Promise<number> {
    const response = await fetch(`${node.url}/client/env/${PRODUCTION_ENV_UUID}/feature-configs`, {
      headers: { authorization: `Bearer ${authToken}` },
    });
    return response.status;
  }

  async function rotate(gracePeriod: string): Promise<void> {
    const response = await fetch(`${a.url}/admin/v1/auth-secret/rotate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ gracePeriod }),
    });
    expect(response.status).toBe(200);
  }

  async function metric(node: Node, name: string, labels: Record<string, string>) {
    return parseScrape(await (await fetch(`${node.url}/metrics`)).text()).value(name, labels);
  }

  const epochOf = (box: string | null) => (box?.startsWith('v2.') ? Number(box.split('.')[1]) : -1);
  const sealedEpoch = async () => epochOf(await client.get(SEALED));

  it('never takes back an older value: a secret retired at 0s stays retired', async () => {
    await rotate('1h');
    const older = { box: await client.get(SEALED), marker: await client.get(MARKER) };
    const retiredToken = await token(a);
    await rotate('0s');
    const currentToken = await token(a);
    const epoch = await sealedEpoch();
    await expect.poll(() => read(b, retiredToken), { timeout: 8_000 }).toBe(401);
    await expect.poll(() => read(b, currentToken), { timeout: 8_000 }).toBe(200);

    // Both keys put back as they were before the 0s rotation, as a backup restore would.
    await client.mset(SEALED, older.box ?? '', MARKER, older.marker ?? '');
    let served = 0;
    await expect
      .poll(
        async () => {
          for (const node of [a, b]) {
            served += (await read(node, retiredToken)) === 200 ? 1 : 0;
          }
          const box = await client.get(SEALED);
          return { served, writtenBack: box !== older.box && epochOf(box) === epoch };
        },
        { timeout: 10_000, interval: 100 },
      )
      .toEqual({ served: 0, writtenBack: true });
    expect(epoch).toBe(epochOf(older.box) + 1);
    const rollbacks = async () =>
      (await metric(a, 'ff_proxy_sealed_state_rollbacks_total', { state: 'auth-secrets' })) +
      (await metric(b, 'ff_proxy_sealed_state_rollbacks_total', { state: 'auth-secrets' }));
    expect(await rollbacks()).toBeGreaterThan(0);
    expect(await read(b, currentToken)).toBe(200);
    expect(await read(a, currentToken)).toBe(200);
    expect(await read(b, retiredToken)).toBe(401);
  });

  it('writes a deleted, damaged or cut value back from memory', async () => {
    const epoch = await sealedEpoch();
    const intact = (await client.get(SEALED)) ?? '';
    const parts = intact.split('.');
    // The same box with its GCM tag cut to 12 bytes: it must no longer open.
    parts[4] = Buffer.from(parts[4] ?? '', 'base64url')
      .subarray(0, 12)
      .toString('base64url');
    const intactAgain = async () => {
      const box = (await client.get(SEALED)) ?? '';
      const marker = JSON.parse((await client.get(MARKER)) ?? '{}') as { epoch?: number };
      const tag = Buffer.from(box.split('.')[4] ?? '', 'base64url');
      return epochOf(box) === epoch && tag.length === 16 && marker.epoch === epoch;
    };
    for (const damage of [
      () => client.del(SEALED, MARKER),
      () => client.set(SEALED, parts.join('.')),
      () => client.set(SEALED, 'not a sealed box'),
      () => client.set(MARKER, JSON.stringify({ epoch: 99, fingerprint: '0123456789ab' })),
    ]) {
      await damage();
      await expect.poll(intactAgain, { timeout: 10_000, interval: 100 }).toBe(true);
    }
    expect(
      await metric(a, 'ff_proxy_sealed_state_reseals_total', { state: 'auth-secrets' }),
    ).toBeGreaterThan(0);
  });

  it('refuses to serve on AUTH_SECRET while the others run on a rotated secret it cannot read', async () => {
    const currentToken = await token(a);
    const intact = await client.get(SEALED);
    await a.close();
    await b.kill();
    await client.del(SEALED);
    // `b` starts with nobody to write the state back: it must not sign with AUTH_SECRET.
    await b.launch();
    await expect.poll(() => b.health(), { timeout: 10_000 }).toBe(503);
    const health = (await (await fetch(`${b.url}/health`)).json()) as { message: string };
    expect(health.message).toContain('sealed state conflict');
    const auth = await fetch(`${b.url}/client/auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apiKey: PRODUCTION_SERVER_SDK_KEY }),
    });
    expect(auth.status).toBe(503);
    expect(await read(b, currentToken)).toBe(503);
    expect(await metric(b, 'ff_proxy_sealed_state_conflict', { state: 'auth-secrets' })).toBe(1);
    expect(b.output()).toContain('cannot follow the sealed state');

    // Once the state is back, `b` follows it within a refresh and serves the same tokens.
    await client.set(SEALED, intact ?? '');
    await expect.poll(() => b.health(), { timeout: 10_000 }).toBe(200);
    expect(await read(b, currentToken)).toBe(200);
    await startA();
    expect(await read(a, await token(b))).toBe(200);
  });
});
