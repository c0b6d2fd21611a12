import { sha256Hex } from '../../src/cache/cache-keys.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import {
  PRODUCTION_CLIENT_SDK_KEY,
  PRODUCTION_ENV_UUID,
  PRODUCTION_SERVER_SDK_KEY,
  STAGING_SERVER_SDK_KEY,
  STAGING_ENV_UUID,
} from '../support/example-config.js';
import { testRedisClient } from '../support/redis.js';
import { authenticate, decodeClaims } from '../support/sdk-requests.js';

describe('POST /client/auth', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ BODY_LIMIT_BYTES: '4096' });
  });
  afterAll(() => t.close());

  const post = (payload: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url: '/client/auth',
      headers: { 'content-type': 'application/json', ...headers },
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    });

  it('issues an HS256 token with every claim the SDKs read, and no expiry', async () => {
    const token = await authenticate(t.app, PRODUCTION_SERVER_SDK_KEY);
    const header = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString());
    expect(header).toEqual({ alg: 'HS256', typ: 'JWT' });
    const claims = decodeClaims(token);
    expect(claims).toMatchObject({
      apiKey: `auth-key-${sha256Hex(PRODUCTION_SERVER_SDK_KEY)}`,
      environment: PRODUCTION_ENV_UUID,
      clusterIdentifier: '1',
      environmentIdentifier: 'production',
      projectIdentifier: 'demo',
    });
    expect(claims.iat).toEqual(expect.any(Number));
    expect(claims.nbf).toEqual(claims.iat);
    expect(claims).not.toHaveProperty('exp');
  });

  it('accepts client keys and keys of every environment', async () => {
    expect(decodeClaims(await authenticate(t.app, PRODUCTION_CLIENT_SDK_KEY)).environment).toBe(
      PRODUCTION_ENV_UUID,
    );
    expect(decodeClaims(await authenticate(t.app, STAGING_SERVER_SDK_KEY)).environment).toBe(
      STAGING_ENV_UUID,
    );
  });

  it('marks the token answer as not to be cached or sniffed', async () => {
    const response = await post({ apiKey: PRODUCTION_SERVER_SDK_KEY });
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });

  it('answers 401 JSON for an unknown key', async () => {
    const response = await post({ apiKey: 'not-a-real-key' });
    expect(response.statusCode).toBe(401);
    expect(response.headers['content-type']).toContain('application/json');
    expect(response.json()).toMatchObject({ error: 'unauthorised', code: 'UNAUTHORISED' });
  });

  it('stores the target it is given, with the name defaulted to the identifier', async () => {
    await authenticate(t.app, PRODUCTION_CLIENT_SDK_KEY, {
      identifier: 'new-user_1',
      attributes: { plan: 'pro', age: 27 },
    });
    // Auth does not wait for the target write (memory has it at once): poll Redis for it.
    const redis = testRedisClient();
    const key = `env-${PRODUCTION_ENV_UUID}-target-config-new-user_1`;
    await expect.poll(() => redis.exists(key)).toBe(1);
    const stored = await redis.get(key);
    redis.disconnect();
    expect(JSON.parse(stored ?? 'null')).toEqual({
      identifier: 'new-user_1',
      name: 'new-user_1',
      attributes: { plan: 'pro', age: 27 },
    });
  });

  describe('bad input gets a 4xx JSON error and changes nothing', () => {
    it.each([
      ['an empty body', ''],
      ['malformed JSON', '{"apiKey": '],
      ['a JSON array', '[]'],
      ['a missing apiKey', {}],
      ['an empty apiKey', { apiKey: '' }],
      ['a non-string apiKey', { apiKey: 42 }],
      ['an unknown field', { apiKey: PRODUCTION_SERVER_SDK_KEY, admin: true }],
      ['a target that is not an object', { apiKey: PRODUCTION_SERVER_SDK_KEY, target: 'x' }],
      ['an invalid target identifier', { apiKey: 'k', target: { identifier: 'hello world' } }],
      ['an invalid target name', { apiKey: 'k', target: { identifier: 'a', name: 'Hello/World' } }],
      ['non-string attributes map', { apiKey: 'k', target: { identifier: 'a', attributes: 3 } }],
    ])('400 for %s', async (_case, payload) => {
      const response = await post(payload);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ statusCode: 400, requestId: expect.any(String) });
    });

    it('413 for a body over BODY_LIMIT_BYTES', async () => {
      const response = await post({ apiKey: 'x'.repeat(5000) });
      expect(response.statusCode).toBe(413);
      expect(response.json()).toMatchObject({ statusCode: 413 });
    });

    it('400 for a text/plain body', async () => {
      const response = await post('apiKey=x', { 'content-type': 'text/plain' });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ statusCode: 400 });
    });

    it('415 for an unsupported content type', async () => {
      const response = await post('<apiKey/>', { 'content-type': 'application/xml' });
      expect(response.statusCode).toBe(415);
      expect(response.json()).toMatchObject({ statusCode: 415 });
    });

    it('still authenticates afterwards: nothing stored was lost', async () => {
      expect(decodeClaims(await authenticate(t.app, PRODUCTION_SERVER_SDK_KEY)).environment).toBe(
        PRODUCTION_ENV_UUID,
      );
    });
  });

  it('accepts a name with Unicode letters, digits, spaces and .@_-', async () => {
    const response = await post({
      apiKey: PRODUCTION_CLIENT_SDK_KEY,
      target: { identifier: 'jo@x.io', name: 'Jöhn Dœ 2.0_a-b@c' },
    });
    expect(response.statusCode).toBe(200);
  });

  it('is also served under the SaaS /api/1.0 prefix', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/1.0/client/auth',
      payload: { apiKey: PRODUCTION_SERVER_SDK_KEY },
    });
    expect(response.statusCode).toBe(200);
  });
});
