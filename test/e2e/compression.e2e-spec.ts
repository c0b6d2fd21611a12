import { gunzipSync } from 'node:zlib';
import type { Client } from '@harnessio/ff-nodejs-server-sdk';
import type { FeatureConfig } from '../../src/model/feature-config.js';
import { OfflineConfigEditor } from '../support/offline-config-editor.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { EXAMPLE_ENVIRONMENTS, PRODUCTION_SERVER_SDK_KEY } from '../support/example-config.js';
import { nodeSdkClient } from '../support/node-sdk.js';
import { parseScrape } from '../support/prometheus-text.js';
import { authenticate, bearer } from '../support/sdk-requests.js';

const env = EXAMPLE_ENVIRONMENTS.production.uuid;
const FEATURE_CONFIGS = `/client/env/${env}/feature-configs`;
const TARGET_SEGMENTS = `/client/env/${env}/target-segments?rules=v2`;
const COMPRESSIONS = 'ff_proxy_body_compressions_total';

describe('compressed shared bodies (feature-configs, target-segments)', () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await createTestApp({}, { listen: true });
    token = await authenticate(t.app, PRODUCTION_SERVER_SDK_KEY);
  });
  afterAll(() => t.close());

  const get = (url: string, acceptEncoding?: string) =>
    t.app.inject({
      method: 'GET',
      url,
      headers: {
        ...bearer(token),
        ...(acceptEncoding ? { 'accept-encoding': acceptEncoding } : {}),
      },
    });
  const compressions = async () =>
    parseScrape((await t.app.inject({ url: '/metrics' })).body).value(COMPRESSIONS, {
      encoding: 'gzip',
    });

  it.each([FEATURE_CONFIGS, TARGET_SEGMENTS])(
    '%s: gzip when asked, the same JSON as the identity answer, Vary on both',
    async (url) => {
      const identity = await get(url);
      expect(identity.statusCode).toBe(200);
      expect(identity.headers['content-encoding']).toBeUndefined();
      expect(identity.headers.vary).toMatch(/accept-encoding/i);
      const gzipped = await get(url, 'gzip, deflate, br');
      expect(gzipped.statusCode).toBe(200);
      expect(gzipped.headers['content-encoding']).toBe('gzip');
      expect(gzipped.headers.vary).toMatch(/accept-encoding/i);
      expect(gzipped.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(Number(gzipped.headers['content-length'])).toBe(gzipped.rawPayload.length);
      expect(gzipped.rawPayload.length).toBeLessThan(identity.rawPayload.length);
      expect(gunzipSync(gzipped.rawPayload).equals(identity.rawPayload)).toBe(true);
    },
  );

  it('compresses each version of a body once, however many requests ask for it', async () => {
    const before = await compressions();
    const first = await get(FEATURE_CONFIGS, 'gzip');
    const bodies = await Promise.all(
      Array.from({ length: 20 }, () => get(FEATURE_CONFIGS, 'gzip')),
    );
    expect(bodies.every((r) => r.rawPayload.equals(first.rawPayload))).toBe(true);
    // The earlier test may have compressed this version already: at most one more, never 21.
    const afterFirstVersion = await compressions();
    expect(afterFirstVersion - before).toBeLessThanOrEqual(1);

    const flags = (await get(FEATURE_CONFIGS)).json<FeatureConfig[]>();
    const flag = flags[0] as FeatureConfig;
    await new OfflineConfigEditor(t.app).upsertFlag(env, {
      ...flag,
      version: (flag.version ?? 0) + 1,
    });
    const changed = await Promise.all(
      Array.from({ length: 20 }, () => get(FEATURE_CONFIGS, 'gzip')),
    );
    expect(await compressions()).toBe(afterFirstVersion + 1);
    const served = JSON.parse(
      gunzipSync(changed[0]?.rawPayload ?? Buffer.alloc(0)).toString(),
    ) as FeatureConfig[];
    expect(served.find((f) => f.feature === flag.feature)?.version).toBe((flag.version ?? 0) + 1);
  });

  it.each([
    ['gzip;q=0', false],
    ['identity', false],
    ['identity;q=1, gzip;q=0.5', false],
    ['br', false],
    ['*', true],
    ['*;q=0', false],
    ['gzip;q=0, *', false],
    ['identity;q=0, *;q=0', false],
    ['GZIP', true],
    ['x-gzip;q=0.9, gzip;q=0.8', true],
    [';;,,q=,gzip;q=abc', false],
    ['', false],
  ])('Accept-Encoding %j: 200, gzip only where it is acceptable (%s)', async (header, gzip) => {
    const identity = await get(FEATURE_CONFIGS);
    const response = await t.app.inject({
      method: 'GET',
      url: FEATURE_CONFIGS,
      headers: { ...bearer(token), 'accept-encoding': header },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-encoding']).toBe(gzip ? 'gzip' : undefined);
    const body = gzip ? gunzipSync(response.rawPayload) : response.rawPayload;
    expect(body.equals(identity.rawPayload)).toBe(true);
  });

  it('answers errors and per-target evaluations uncompressed', async () => {
    const missing = await get(`/client/env/${env}/feature-configs/no-such-flag`, 'gzip');
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-encoding']).toBeUndefined();
    expect(missing.json()).toMatchObject({ code: 'NOT_FOUND' });
    const evaluations = await get(`/client/env/${env}/target/someone/evaluations`, 'gzip');
    expect(evaluations.statusCode).toBe(200);
    expect(evaluations.headers['content-encoding']).toBeUndefined();
  });

  it('serves the unmodified Node server SDK (Accept-Encoding: gzip) compressed bodies it evaluates', async () => {
    const before = await compressions();
    // A fresh version, so the SDK's own requests are what compresses it.
    const flags = (await get(FEATURE_CONFIGS)).json<FeatureConfig[]>();
    const flag = flags.find((f) => f.feature === 'dark-mode') as FeatureConfig;
    await new OfflineConfigEditor(t.app).upsertFlag(env, {
      ...flag,
      version: (flag.version ?? 0) + 1,
    });
    let client: Client | undefined;
    try {
      client = nodeSdkClient(PRODUCTION_SERVER_SDK_KEY, t.url ?? '');
      await client.waitForInitialization();
      expect(await compressions()).toBeGreaterThan(before);
      const target = { identifier: 'compressed-reader', name: 'Compressed Reader' };
      const on = await client.boolVariation('dark-mode', target, true);
      const off = await client.boolVariation('dark-mode', target, false);
      expect(on).toBe(off);
    } finally {
      client?.close();
    }
  });
});
