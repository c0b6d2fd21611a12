import { randomUUID } from 'node:crypto';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import {
  EXAMPLE_CONFIG_DIR,
  PRODUCTION_ENV_UUID,
  STAGING_ENV_UUID,
  STAGING_SERVER_SDK_KEY,
} from '../support/example-config.js';
import { fingerprint } from '../../src/common/fingerprint.js';
import { nodeSdkClient } from '../support/node-sdk.js';
import { startPrimary, waitForSync } from '../support/primary.js';
import { RedisServer } from '../support/redis-server.js';
import { SseClient } from '../support/sse-client.js';
import { environmentSeed } from '../support/upstream-emulator/fixtures.js';
import { UpstreamEmulator } from '../support/upstream-emulator/upstream-emulator.js';

const ADMIN = {
  authorization: 'Bearer sdk-keys-admin-token-of-32-characters',
  'content-type': 'application/json',
};

/** An offline relay is the authority for its SDK keys: create and end them, live. */
describe('Admin API: SDK keys (offline)', () => {
  let redis: RedisServer;
  let t: TestApp;

  const start = () =>
    createTestApp(
      {
        OFFLINE: 'true',
        CONFIG_DIR: EXAMPLE_CONFIG_DIR,
        REDIS_ADDRESS: redis.address,
        ADMIN_API_TOKEN: 'sdk-keys-admin-token-of-32-characters',
      },
      { listen: true, keepRedis: true },
    );

  beforeAll(async () => {
    redis = await RedisServer.start();
    t = await start();
  });
  afterAll(async () => {
    await t.close();
    await redis.stop();
  });

  const create = (env: string, body: unknown) =>
    fetch(`${t.url}/admin/v1/environments/${env}/sdk-keys`, {
      method: 'POST',
      headers: ADMIN,
      body: JSON.stringify(body),
    });
  const remove = (env: string, print: string, grace?: string) =>
    fetch(
      `${t.url}/admin/v1/environments/${env}/sdk-keys/${print}${grace ? `?gracePeriod=${grace}` : ''}`,
      { method: 'DELETE', headers: { authorization: ADMIN.authorization } },
    );
  const authStatus = async (apiKey: string) =>
    (
      await fetch(`${t.url}/client/auth`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ apiKey }),
      })
    ).status;
  const token = async (apiKey: string) =>
    (
      (await (
        await fetch(`${t.url}/client/auth`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ apiKey }),
        })
      ).json()) as { authToken: string }
    ).authToken;
  const read = async (env: string, authToken: string) =>
    (
      await fetch(`${t.url}/client/env/${env}/feature-configs`, {
        headers: { authorization: `Bearer ${authToken}` },
      })
    ).status;

  it('creates a key that works at once for an unmodified SDK, shown only this once', async () => {
    const response = await create(PRODUCTION_ENV_UUID, { kind: 'server' });
    expect(response.status).toBe(201);
    const { key, fingerprint: print } = (await response.json()) as {
      key: string;
      fingerprint: string;
    };
    expect(print).toBe(fingerprint(key));
    const sdk = nodeSdkClient(key, t.url ?? '');
    try {
      await sdk.waitForInitialization();
      expect(await sdk.boolVariation('dark-mode', { identifier: 'carol', name: 'C' }, true)).toBe(
        false,
      );
    } finally {
      sdk.close();
    }
    const keys = await (await fetch(`${t.url}/admin/v1/keys`, { headers: ADMIN })).text();
    expect(keys).toContain(print);
    expect(keys).not.toContain(key);
  });

  it('ends a key when its grace period ends: auth, tokens and streams', async () => {
    const { key, fingerprint: print } = (await (
      await create(PRODUCTION_ENV_UUID, { kind: 'client' })
    ).json()) as { key: string; fingerprint: string };
    const authToken = await token(key);
    const stream = await SseClient.connect(`${t.url}/stream`, {
      headers: { authorization: `Bearer ${authToken}`, 'API-Key': key },
    });
    await stream.waitFor(() => stream.heartbeats > 0);
    expect((await remove(PRODUCTION_ENV_UUID, print, '2s')).status).toBe(204);
    expect(await authStatus(key)).toBe(200);
    expect(await read(PRODUCTION_ENV_UUID, authToken)).toBe(200);
    expect((await stream.ended).kind).toBe('eof');
    expect(await authStatus(key)).toBe(401);
    expect(await read(PRODUCTION_ENV_UUID, authToken)).toBe(401);
  });

  it('ends a key of the config directory at once with 0s, and it stays ended after a restart', async () => {
    const authToken = await token(STAGING_SERVER_SDK_KEY);
    const print = fingerprint(STAGING_SERVER_SDK_KEY);
    expect((await remove(STAGING_ENV_UUID, print, '0s')).status).toBe(204);
    await expect.poll(() => read(STAGING_ENV_UUID, authToken)).toBe(401);
    const { key } = (await (await create(STAGING_ENV_UUID, { kind: 'server' })).json()) as {
      key: string;
    };
    await t.close();
    t = await start();
    expect(await authStatus(STAGING_SERVER_SDK_KEY)).toBe(401);
    expect(await authStatus(key)).toBe(200);
  });

  it.each([
    [
      'an unknown environment',
      () => create('00000000-0000-4000-8000-000000000000', { kind: 'server' }),
      404,
    ],
    ['a bad kind', () => create(PRODUCTION_ENV_UUID, { kind: 'admin' }), 400],
    ['an unknown fingerprint', () => remove(PRODUCTION_ENV_UUID, '0123456789ab'), 404],
    ['a malformed fingerprint', () => remove(PRODUCTION_ENV_UUID, 'not-hex'), 400],
    ['a bad grace period', () => remove(PRODUCTION_ENV_UUID, '0123456789ab', 'soon'), 400],
  ])('answers %s with a clear 4xx', async (_case, call, status) => {
    const response = await call();
    expect(response.status).toBe(status);
    expect(await response.json()).toMatchObject({ statusCode: status });
  });
});

/**
 * Every instance sharing a Redis answers the same SDK keys: they are all in Redis, so a read
 * replica lists them too, not only those its SDKs happened to use.
 */
describe('GET /admin/v1/keys on a read replica', () => {
  const token = 'replica-keys-admin-token-of-32-characters';
  const headers = { authorization: `Bearer ${token}` };
  const seeds = [environmentSeed(), environmentSeed({ apiKeys: [randomUUID(), randomUUID()] })];
  let emulator: UpstreamEmulator;
  let primary: TestApp;
  let replica: TestApp;

  beforeAll(async () => {
    emulator = new UpstreamEmulator({ seed: { environments: seeds } });
    await emulator.start();
    primary = await startPrimary(emulator, { ADMIN_API_TOKEN: token });
    await waitForSync(primary);
    replica = await createTestApp(
      { READ_REPLICA: 'true', ADMIN_API_TOKEN: token },
      { keepRedis: true, listen: true },
    );
  });
  afterAll(async () => {
    await replica?.close();
    await primary?.close();
    await emulator?.stop();
  });

  const listed = async (app: TestApp) => {
    const response = await fetch(`${app.url}/admin/v1/keys`, { headers });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { environments: unknown[]; sdkKeysFrom: string };
    expect(body.sdkKeysFrom).toBe('cache');
    return body.environments;
  };
  const expected = () =>
    seeds
      .map((seed) => ({
        id: seed.id,
        sdkKeys: emulator
          .sdkKeys(seed.id)
          .map((key) => fingerprint(key))
          .sort(),
      }))
      .sort((a, b) => a.id.localeCompare(b.id));

  it('lists every SDK key of every environment before any SDK used one, as the primary does', async () => {
    expect(await listed(replica)).toEqual(expected());
    expect(await listed(primary)).toEqual(expected());
  });

  it('follows a key added upstream with no SDK asking for it', async () => {
    const added = randomUUID();
    emulator.addApiKey(seeds[0]?.id ?? '', added);
    await expect
      .poll(async () => JSON.stringify(await listed(replica)), { timeout: 15_000 })
      .toContain(fingerprint(added));
    expect(await listed(replica)).toEqual(expected());
  });
});
