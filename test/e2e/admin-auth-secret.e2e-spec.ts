import type { Client } from '@harnessio/ff-nodejs-server-sdk';
import { Redis } from 'ioredis';
import { CACHE_KEYS } from '../../src/cache/cache-keys.js';
import { createTestApp, TEST_AUTH_SECRET, type TestApp } from '../support/create-test-app.js';
import {
  EXAMPLE_CONFIG_DIR,
  PRODUCTION_ENV_UUID,
  PRODUCTION_SERVER_SDK_KEY,
} from '../support/example-config.js';
import { nodeSdkClient } from '../support/node-sdk.js';
import { buildProxy } from '../support/built-proxy.js';
import { freePort } from '../support/ports.js';
import { RedisServer } from '../support/redis-server.js';
import { SteadyReader } from '../support/steady-reader.js';
import { Instance } from '../support/topology.js';

const ADMIN_TOKEN = 'admin-token-for-the-auth-secret-tests';
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
const TARGET = { identifier: 'rotating-user', name: 'Rotating User' };

/**
 * Two relay instances sharing one Redis, with the Admin API on: `a` in this process, `b` the
 * compiled proxy in its own (Passport strategies are process-wide: a second app in this process
 * would verify the first one's tokens with its own keys).
 */
describe('Admin API: SDK-token secret rotation', () => {
  let redis: RedisServer;
  let a: TestApp;
  let b: Instance;

  beforeAll(async () => {
    await buildProxy();
    redis = await RedisServer.start();
    const env = {
      OFFLINE: 'true',
      CONFIG_DIR: EXAMPLE_CONFIG_DIR,
      REDIS_ADDRESS: redis.address,
      ADMIN_API_TOKEN: ADMIN_TOKEN,
    };
    a = await createTestApp(env, { listen: true, keepRedis: true });
    b = new Instance('b', await freePort(), { ...env, AUTH_SECRET: TEST_AUTH_SECRET });
    await b.start();
  }, 60_000);
  afterAll(async () => {
    await a.close();
    await b.kill();
    await redis.stop();
  });

  async function token(t: { url: string | undefined }): Promise<string> {
    const response = await fetch(`${t.url}/client/auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apiKey: PRODUCTION_SERVER_SDK_KEY }),
    });
    return ((await response.json()) as { authToken: string }).authToken;
  }

  async function read(t: { url: string | undefined }, authToken: string): Promise<number> {
    const response = await fetch(`${t.url}/client/env/${PRODUCTION_ENV_UUID}/feature-configs`, {
      headers: { authorization: `Bearer ${authToken}` },
    });
    return response.status;
  }

  const adminCall = (
    t: TestApp,
    path: string,
    init: { method?: string; body?: string; headers?: Record<string, string> } = {},
  ) =>
    fetch(`${t.url}/admin/v1/${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', ...(init.headers ?? admin) },
    });

  const rotate = (t: TestApp, body: unknown) =>
    adminCall(t, 'auth-secret/rotate', { method: 'POST', body: JSON.stringify(body) });

  it('refuses a missing or wrong admin token with 401', async () => {
    expect((await adminCall(a, 'keys', { headers: {} })).status).toBe(401);
    const wrong = await adminCall(a, 'keys', { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ statusCode: 401 });
  });

  it('lists fingerprints only, never a secret', async () => {
    const response = await adminCall(a, 'keys');
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).not.toContain(TEST_AUTH_SECRET);
    expect(text).not.toContain(PRODUCTION_SERVER_SDK_KEY);
    const body = JSON.parse(text) as {
      authSecret: { fingerprint: string; previous: unknown[] };
      environments: { id: string; sdkKeys: string[] }[];
    };
    expect(body.authSecret.fingerprint).toMatch(/^[0-9a-f]{12}$/);
    expect(body.authSecret.previous).toEqual([]);
    const production = body.environments.find((env) => env.id === PRODUCTION_ENV_UUID);
    expect(production?.sdkKeys.every((key) => /^[0-9a-f]{12}$/.test(key))).toBe(true);
  });

  it.each([[{}], [{ gracePeriod: '12' }], [{ gracePeriod: '-1h' }], [{ gracePeriod: 5 }]])(
    'answers 400 naming the field for %j',
    async (body) => {
      const response = await rotate(a, body);
      expect(response.status).toBe(400);
      expect(JSON.stringify(await response.json())).toContain('gracePeriod');
    },
  );

  it('rotates with no failed SDK read: old tokens during the grace period, new ones everywhere', async () => {
    const sdk: Client = nodeSdkClient(PRODUCTION_SERVER_SDK_KEY, a.url ?? '');
    await sdk.waitForInitialization();
    const readers = [a.url, b.url].map(
      (url) =>
        new SteadyReader({
          baseUrl: url ?? '',
          sdkKey: PRODUCTION_SERVER_SDK_KEY,
          environment: PRODUCTION_ENV_UUID,
          target: TARGET,
        }),
    );
    await Promise.all(readers.map((r) => r.start()));
    const original = await token(a);
    try {
      const response = await rotate(a, { gracePeriod: '1h' });
      expect(response.status).toBe(200);
      const rotated = (await response.json()) as {
        fingerprint: string;
        previousValidUntil: string;
      };
      expect(Date.parse(rotated.previousValidUntil) - Date.now()).toBeGreaterThan(3_590_000);
      // New tokens are signed with the new secret at once, and the other instance takes them at
      // once too, before its own re-read (2 s): an SDK refused there would stay refused.
      const fresh = await token(a);
      expect(fresh).not.toBe(original);
      expect(await read(b, fresh)).toBe(200);
      expect(await read(b, original)).toBe(200);
      await readers[0]?.covers(20);
      const keys = (await (await adminCall(a, 'keys')).json()) as {
        authSecret: { fingerprint: string; previous: unknown[]; previousSecretUses: number };
      };
      expect(keys.authSecret.fingerprint).toBe(rotated.fingerprint);
      expect(keys.authSecret.previous).toHaveLength(1);
      expect(keys.authSecret.previousSecretUses).toBeGreaterThan(0);
      // The SDK authenticated before the rotation and never re-authenticates: still served.
      expect(await sdk.boolVariation('dark-mode', TARGET, true)).toBe(
        await sdk.boolVariation('dark-mode', TARGET, false),
      );
      const failures = (await Promise.all(readers.map((r) => r.stop()))).flatMap((r) => r.failures);
      expect(failures).toEqual([]);
    } finally {
      sdk.close();
    }
  });

  it('survives a restart, rests sealed in Redis, and 0s refuses the previous secret at once', async () => {
    const beforeRestart = await token(a);
    await b.kill();
    await b.start();
    expect(await read(b, beforeRestart)).toBe(200);
    const client = new Redis({ port: redis.port });
    const sealed = (await client.get(CACHE_KEYS.authSecrets)) ?? '';
    client.disconnect();
    expect(sealed).toMatch(/^v2\./);
    expect(sealed).not.toContain('secret');
    const response = await rotate(a, { gracePeriod: '0s' });
    expect(response.status).toBe(200);
    expect(await read(a, beforeRestart)).toBe(401);
    await expect.poll(() => read(b, beforeRestart), { timeout: 8_000, interval: 100 }).toBe(401);
    expect(await read(b, await token(b))).toBe(200);
  });

  it('refuses tokens of the previous secret exactly when its grace period ends', async () => {
    const before = await token(a);
    // The grace starts on the server while it handles the call (sealing the new secret takes a
    // while on a loaded machine): measure from before the call, the earliest it can start.
    const rotatedAt = Date.now();
    expect((await rotate(a, { gracePeriod: '2s' })).status).toBe(200);
    expect(await read(a, before)).toBe(200);
    await expect.poll(() => read(a, before), { timeout: 5_000, interval: 100 }).toBe(401);
    expect(Date.now() - rotatedAt).toBeGreaterThanOrEqual(1_900);
  });

  it('audits every call in ff_relay_admin_actions_total', async () => {
    const scrape = await (await fetch(`${a.url}/metrics`)).text();
    expect(scrape).toMatch(
      /ff_relay_admin_actions_total\{action="rotate-auth-secret",outcome="ok"\} 3/,
    );
    expect(scrape).toMatch(/ff_relay_admin_actions_total\{action="list-keys",outcome="ok"\} \d/);
  });
});
