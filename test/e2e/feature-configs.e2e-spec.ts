import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256Hex } from '../../src/cache/cache-keys.js';
import { CacheStore } from '../../src/cache/cache-store.js';
import type { FeatureConfig } from '../../src/model/feature-config.js';
import { createTestApp, TEST_AUTH_SECRET, type TestApp } from '../support/create-test-app.js';
import {
  EXAMPLE_ENVIRONMENTS,
  PRODUCTION_ENV_UUID,
  PRODUCTION_SERVER_SDK_KEY,
  STAGING_ENV_UUID,
} from '../support/example-config.js';
import { authenticate, bearer, craftToken } from '../support/sdk-requests.js';

const production = EXAMPLE_ENVIRONMENTS.production;

describe('GET /client/env/:env/feature-configs', () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await createTestApp();
    token = await authenticate(t.app, PRODUCTION_SERVER_SDK_KEY);
  });
  afterAll(() => t.close());

  const get = (url: string, headers: Record<string, string> = bearer(token)) =>
    t.app.inject({ method: 'GET', url, headers });

  it('returns every flag of the environment as compact JSON plus a newline', async () => {
    const response = await get(`/client/env/${PRODUCTION_ENV_UUID}/feature-configs?cluster=1`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.body.endsWith(']\n')).toBe(true);
    const flags = response.json<FeatureConfig[]>();
    expect(flags.map((f) => f.feature).sort()).toEqual(Object.keys(production.flags).sort());
    const source = JSON.parse(
      await readFile(join(production.directory, 'feature_config.json'), 'utf8'),
    ) as FeatureConfig[];
    for (const flag of flags) {
      const original = source.find((f) => f.feature === flag.feature);
      expect(flag.version).toBe(original?.version);
      expect(flag.variationToTargetMap).toEqual(original?.variationToTargetMap ?? []);
    }
  });

  it('returns one flag by identifier', async () => {
    const response = await get(`/client/env/${PRODUCTION_ENV_UUID}/feature-configs/dark-mode`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ feature: 'dark-mode', kind: 'boolean' });
  });

  it('404s an unknown flag with a JSON body', async () => {
    const response = await get(`/client/env/${PRODUCTION_ENV_UUID}/feature-configs/nope`);
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
  });

  it('404s an unknown path', async () => {
    const response = await get('/client/nowhere');
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ statusCode: 404 });
  });

  it('405s a known path asked with the wrong method, naming the allowed one', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: `/client/env/${PRODUCTION_ENV_UUID}/feature-configs`,
      headers: bearer(token),
      payload: {},
    });
    expect(response.statusCode).toBe(405);
    expect(response.headers.allow).toBe('GET');
    expect(response.json()).toMatchObject({ statusCode: 405, message: 'Method Not Allowed' });
  });

  it('is also served under the SaaS /api/1.0 prefix', async () => {
    const response = await get(`/api/1.0/client/env/${PRODUCTION_ENV_UUID}/feature-configs`);
    expect(response.statusCode).toBe(200);
  });

  describe('token problems are a 401 JSON error', () => {
    const url = `/client/env/${PRODUCTION_ENV_UUID}/feature-configs`;
    const claims = () => ({
      apiKey: `auth-key-${sha256Hex(PRODUCTION_SERVER_SDK_KEY)}`,
      environment: PRODUCTION_ENV_UUID,
      clusterIdentifier: '1',
    });

    it.each([
      ['no Authorization header', {}],
      ['a non-Bearer scheme', { authorization: 'Basic abc' }],
      ['a malformed token', { authorization: 'Bearer not.a.jwt' }],
      ['a token signed with another secret', bearer(craftToken(claims(), { secret: 'other' }))],
      ['an alg:none token', bearer(craftToken(claims(), { alg: 'none' }))],
      [
        'an expired token',
        bearer(craftToken({ ...claims(), exp: 1_000_000 }, { secret: TEST_AUTH_SECRET })),
      ],
      [
        'a token not valid yet',
        bearer(craftToken({ ...claims(), nbf: 4_000_000_000 }, { secret: TEST_AUTH_SECRET })),
      ],
      [
        'a token without an environment',
        bearer(craftToken({ apiKey: claims().apiKey }, { secret: TEST_AUTH_SECRET })),
      ],
      [
        'a token for a key the proxy does not know',
        bearer(craftToken({ ...claims(), apiKey: 'auth-key-00' }, { secret: TEST_AUTH_SECRET })),
      ],
    ])('%s', async (_case, headers) => {
      const response = await get(url, headers);
      expect(response.statusCode).toBe(401);
      expect(response.headers['content-type']).toContain('application/json');
      expect(response.json()).toMatchObject({ statusCode: 401 });
    });

    it("a token whose environment claim is not its key's environment (forged)", async () => {
      // Signed with the real secret: only the check of the claim against the key can stop it.
      const forged = craftToken(
        { ...claims(), environment: STAGING_ENV_UUID },
        { secret: TEST_AUTH_SECRET },
      );
      const response = await get(`/client/env/${STAGING_ENV_UUID}/feature-configs`, bearer(forged));
      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({ code: 'ENVIRONMENT_MISMATCH' });
    });

    it('a token for environment A used on environment B', async () => {
      const response = await get(`/client/env/${STAGING_ENV_UUID}/feature-configs`);
      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({
        code: 'ENVIRONMENT_MISMATCH',
        message: `Environment ID [${PRODUCTION_ENV_UUID}] mismatch with requested ${STAGING_ENV_UUID}`,
      });
    });

    it('a token whose key was revoked after it was issued', async () => {
      const revocable = await authenticate(t.app, EXAMPLE_ENVIRONMENTS.production.clientSdkKey);
      // Through the proxy's own cache writer, as an apiKeyRemoved event is applied: memory
      // serves key lookups, so a key edited out of Redis behind its back would not be seen.
      await t.app
        .get(CacheStore)
        .del([`auth-key-${sha256Hex(EXAMPLE_ENVIRONMENTS.production.clientSdkKey)}`]);
      expect((await get(url, bearer(revocable))).statusCode).toBe(401);
      expect((await get(url)).statusCode).toBe(200);
    });
  });

  describe('CORS for the browser SDK', () => {
    it('answers a preflight with 204 before authentication', async () => {
      const response = await t.app.inject({
        method: 'OPTIONS',
        url: `/client/env/${PRODUCTION_ENV_UUID}/feature-configs`,
        headers: {
          origin: 'https://app.example.com',
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'authorization,harness-target,api-key',
        },
      });
      expect(response.statusCode).toBe(204);
      expect(response.headers['access-control-allow-origin']).toBe('*');
      expect(response.headers['access-control-allow-methods']).toBe('GET,OPTIONS,POST');
      expect(response.headers['access-control-allow-headers']).toBe('*,Authorization');
      expect(response.headers).not.toHaveProperty('access-control-allow-credentials');
    });

    it('allows any origin on responses, errors included', async () => {
      const response = await get(`/client/env/${PRODUCTION_ENV_UUID}/feature-configs`, {
        origin: 'https://app.example.com',
      });
      expect(response.statusCode).toBe(401);
      expect(response.headers['access-control-allow-origin']).toBe('*');
    });
  });

  it('echoes X-Request-Id, or makes one, and puts it in error bodies', async () => {
    const echoed = await get(`/client/env/${PRODUCTION_ENV_UUID}/feature-configs/nope`, {
      ...bearer(token),
      'x-request-id': 'req-123',
    });
    expect(echoed.headers['x-request-id']).toBe('req-123');
    expect(echoed.json()).toMatchObject({ requestId: 'req-123' });
    const fresh = await get(`/client/env/${PRODUCTION_ENV_UUID}/feature-configs`);
    expect(fresh.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
