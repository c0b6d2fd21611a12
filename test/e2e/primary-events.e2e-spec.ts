import type { Client } from '@harnessio/ff-nodejs-server-sdk';
import { CACHE_KEYS, sha256Hex } from '../../src/cache/cache-keys.js';
import type { TestApp } from '../support/create-test-app.js';
import { nodeSdkClient } from '../support/node-sdk.js';
import { startPrimary, waitForSync } from '../support/primary.js';
import { testRedisClient } from '../support/redis.js';
import { authenticate, bearer } from '../support/sdk-requests.js';
import { SseClient } from '../support/sse-client.js';
import { booleanFlag, environmentSeed, segment } from '../support/upstream-emulator/fixtures.js';
import { UpstreamEmulator } from '../support/upstream-emulator/upstream-emulator.js';

/** Every upstream event type (docs/upstream.md), against a primary with SDKs connected. */
describe('primary mode: upstream events', () => {
  let emulator: UpstreamEmulator;
  let t: TestApp;
  let client: Client;
  const seed = environmentSeed();
  const env = seed.id;
  const sdkKey = seed.apiKeys?.[0] ?? '';
  const target = { identifier: 'user-1', name: 'User 1', attributes: { email: 'a@example.com' } };
  const streams: SseClient[] = [];
  let proxyKey = '';

  beforeAll(async () => {
    emulator = new UpstreamEmulator({ seed: { environments: [seed] }, heartbeatMs: 1000 });
    await emulator.start();
    proxyKey = emulator.proxyKey;
    t = await startPrimary(emulator);
    await waitForSync(t);
    client = nodeSdkClient(sdkKey, t.url ?? '');
    await client.waitForInitialization();
  });
  afterAll(async () => {
    client.close();
    streams.forEach((s) => s.close());
    await t.close();
    await emulator.stop();
  });

  async function sdkStream(key = sdkKey): Promise<SseClient> {
    const token = await authenticate(t.app, key);
    const stream = await SseClient.connect(`${t.url}/stream`, {
      headers: { ...bearer(token), 'API-Key': key },
    });
    streams.push(stream);
    await stream.waitFor(() => stream.heartbeats > 0);
    return stream;
  }

  async function authStatus(apiKey: string): Promise<number> {
    const response = await t.app.inject({
      method: 'POST',
      url: '/client/auth',
      payload: { apiKey },
    });
    return response.statusCode;
  }

  async function redisKeys(): Promise<string[]> {
    const redis = testRedisClient();
    const keys = await redis.keys('*');
    const inventory = await redis.get(CACHE_KEYS.inventory(proxyKey));
    redis.disconnect();
    return [
      ...keys,
      ...Object.keys(JSON.parse(inventory ?? '{}') as object).map((k) => `inv:${k}`),
    ];
  }

  it('flag patch: re-fetched, cached, then announced; the SDK evaluates anew', async () => {
    const stream = await sdkStream();
    expect(await client.boolVariation('dark-mode', target, true)).toBe(false);
    const started = Date.now();
    emulator.toggleFlag(env, 'dark-mode', 'on');
    await expect.poll(() => client.boolVariation('dark-mode', target, false)).toBe(true);
    console.log(`upstream flag patch → Node SDK evaluates anew in ${Date.now() - started} ms`);
    const event = JSON.parse((await stream.next()).data) as Record<string, unknown>;
    expect(event).toMatchObject({
      event: 'patch',
      domain: 'flag',
      identifier: 'dark-mode',
      environment: env,
    });
    const [refetch] = emulator.requests({ route: `/client/env/${env}/feature-configs` });
    expect(refetch?.headers).toMatchObject({
      authorization: expect.stringMatching(/^Bearer /),
      'harness-environmentid': env,
      'harness-sdk-info': expect.stringMatching(/^Proxy /),
    });
  });

  it('flag create and delete: keys and inventory follow, the SDK sees both', async () => {
    emulator.upsertFlag(env, booleanFlag('new-flag', { state: 'on' }));
    await expect.poll(() => client.boolVariation('new-flag', target, false)).toBe(true);
    expect(await redisKeys()).toEqual(
      expect.arrayContaining([
        CACHE_KEYS.featureConfig(env, 'new-flag'),
        `inv:${CACHE_KEYS.featureConfig(env, 'new-flag')}`,
      ]),
    );
    emulator.deleteFlag(env, 'new-flag');
    await expect.poll(() => client.boolVariation('new-flag', target, false)).toBe(false);
    const keys = await redisKeys();
    expect(keys).not.toContain(CACHE_KEYS.featureConfig(env, 'new-flag'));
    expect(keys).not.toContain(`inv:${CACHE_KEYS.featureConfig(env, 'new-flag')}`);
  });

  it('segment patch and delete reach the SDK through its rules', async () => {
    emulator.upsertFlag(
      env,
      booleanFlag('segmented', {
        state: 'on',
        defaultServe: { variation: 'false' },
        rules: [
          {
            ruleId: 'r',
            priority: 1,
            clauses: [{ attribute: '', op: 'segmentMatch', values: ['beta-users'], negate: false }],
            serve: { variation: 'true' },
          },
        ],
      }),
    );
    await expect.poll(() => client.boolVariation('segmented', target, false)).toBe(true);
    emulator.upsertSegment(
      env,
      segment('beta-users', {
        servingRules: [],
        rules: [],
        excluded: [{ identifier: 'user-1', name: 'User 1' }],
      }),
    );
    await expect.poll(() => client.boolVariation('segmented', target, true)).toBe(false);
    emulator.deleteSegment(env, 'beta-users');
    await expect
      .poll(async () => (await redisKeys()).includes(CACHE_KEYS.segment(env, 'beta-users')))
      .toBe(false);
  });

  it('apiKeyAdded: a new SDK key works without a restart', async () => {
    const raw = 'brand-new-sdk-key';
    emulator.addApiKey(env, raw);
    await expect.poll(() => authStatus(raw)).toBe(200);
    expect(await redisKeys()).toContain(`inv:${CACHE_KEYS.authKey(sha256Hex(raw))}`);
  });

  it('apiKeyRemoved: the key and its tokens stop working and the streams end', async () => {
    const raw = 'key-to-remove';
    emulator.addApiKey(env, raw);
    await expect.poll(() => authStatus(raw)).toBe(200);
    const token = await authenticate(t.app, raw);
    const stream = await sdkStream(raw);
    emulator.removeApiKey(env, raw);
    expect((await stream.ended).kind).toBe('eof');
    const flags = await t.app.inject({
      url: `/client/env/${env}/feature-configs`,
      headers: bearer(token),
    });
    expect(flags.statusCode).toBe(401);
    await authenticate(t.app, sdkKey);
  });

  it('environmentsAdded: a new environment is served without a restart', async () => {
    const added = environmentSeed({ featureConfigs: [booleanFlag('fresh', { state: 'on' })] });
    emulator.addEnvironment(added);
    const key = added.apiKeys?.[0] ?? '';
    await expect.poll(() => authStatus(key)).toBe(200);
    const token = await authenticate(t.app, key);
    const flags = await t.app.inject({
      url: `/client/env/${added.id}/feature-configs`,
      headers: bearer(token),
    });
    expect(flags.json()).toEqual([expect.objectContaining({ feature: 'fresh' })]);
  });

  it('environmentsRemoved: its keys, config and streams go away', async () => {
    const doomed = environmentSeed();
    emulator.addEnvironment(doomed);
    const key = doomed.apiKeys?.[0] ?? '';
    await expect.poll(() => authStatus(key)).toBe(200);
    const stream = await sdkStream(key);
    emulator.removeEnvironment(doomed.id);
    expect((await stream.ended).kind).toBe('eof');
    const keys = await redisKeys();
    expect(keys.filter((k) => k.includes(doomed.id))).toEqual([]);
    expect(keys).not.toContain(CACHE_KEYS.authKey(sha256Hex(key)));
  });

  it('proxyKeyDeleted: nothing cached is removed; SDKs are served on (see proxy-key-revoked)', async () => {
    const before = (await redisKeys()).sort();
    emulator.deleteProxyKey();
    await waitForSync(t, 'FAILED_TO_SYNC', 'DISCONNECTED');
    expect((await redisKeys()).sort()).toEqual(before);
    expect(await authStatus(sdkKey)).toBe(200);
  });
});
