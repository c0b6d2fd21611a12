import { PRODUCTION_ENV_UUID } from '../support/example-config.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { RedisServer } from '../support/redis-server.js';

const TOKEN = 'admin-token-for-the-audit-tests-000';
const RIGHT = { authorization: `Bearer ${TOKEN}` };
const WRONG = { authorization: 'Bearer not-the-admin-token' };

/** How many calls `ff_relay_admin_actions_total` counted with this action and outcome. */
async function audited(t: TestApp, action: string, outcome: string): Promise<number> {
  const scrape = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
  const line = scrape
    .split('\n')
    .find((l) =>
      l.startsWith(`ff_relay_admin_actions_total{action="${action}",outcome="${outcome}"}`),
    );
  return Number(line?.split(' ').at(-1) ?? 0);
}

const rotate = (
  t: TestApp,
  headers: Record<string, string>,
  body: unknown,
  remoteAddress = '127.0.0.1',
) =>
  t.app.inject({
    method: 'POST',
    url: '/admin/v1/auth-secret/rotate',
    headers: { ...headers, 'content-type': 'application/json' },
    payload: JSON.stringify(body),
    remoteAddress,
  });

describe('Admin API audit, limits and exposure (offline)', () => {
  let redis: RedisServer;
  let t: TestApp;

  beforeAll(async () => {
    redis = await RedisServer.start();
    t = await createTestApp(
      { ADMIN_API_TOKEN: TOKEN, REDIS_ADDRESS: redis.address, REDIS_READ_TIMEOUT: '300ms' },
      { keepRedis: true },
    );
  });
  afterAll(async () => {
    await t.close();
    await redis.stop();
  });

  it('audits every call with its real outcome: 401, 400, 404, 200', async () => {
    const list = (headers: Record<string, string>) =>
      t.app.inject({ method: 'GET', url: '/admin/v1/keys', headers, remoteAddress: '10.1.0.1' });
    expect((await list({})).statusCode).toBe(401);
    expect((await list(WRONG)).statusCode).toBe(401);
    expect(await audited(t, 'list-keys', 'unauthorised')).toBe(2);
    expect((await rotate(t, RIGHT, { gracePeriod: '9999999999999h' })).statusCode).toBe(400);
    expect((await rotate(t, RIGHT, { gracePeriod: 5 })).statusCode).toBe(400);
    expect(await audited(t, 'rotate-auth-secret', 'invalid')).toBe(2);
    const unknown = await t.app.inject({
      method: 'DELETE',
      url: `/admin/v1/environments/${PRODUCTION_ENV_UUID}/sdk-keys/0123456789ab`,
      headers: RIGHT,
    });
    expect(unknown.statusCode).toBe(404);
    expect(await audited(t, 'remove-sdk-key', 'not-found')).toBe(1);
    expect((await list(RIGHT)).statusCode).toBe(200);
    expect(await audited(t, 'list-keys', 'ok')).toBe(1);
  });

  it('audits a rotation the store did not take as not-stored (503), and it changed nothing', async () => {
    const before = (
      await t.app.inject({ method: 'GET', url: '/admin/v1/keys', headers: RIGHT })
    ).json<{ authSecret: { fingerprint: string } }>().authSecret.fingerprint;
    await redis.kill();
    try {
      const response = await rotate(t, RIGHT, { gracePeriod: '1h' });
      expect(response.statusCode).toBe(503);
      expect(await audited(t, 'rotate-auth-secret', 'not-stored')).toBe(1);
    } finally {
      await redis.restart();
    }
    const after = (
      await t.app.inject({ method: 'GET', url: '/admin/v1/keys', headers: RIGHT })
    ).json<{ authSecret: { fingerprint: string } }>().authSecret.fingerprint;
    expect(after).toBe(before);
  });

  it('answers 429 with Retry-After to an address past 10 wrong tokens a minute, and only to it', async () => {
    const flooder = '198.51.100.7';
    const statuses = [];
    for (let i = 0; i < 10; i++) {
      statuses.push((await rotate(t, WRONG, { gracePeriod: '0s' }, flooder)).statusCode);
    }
    expect(statuses).toEqual(Array.from({ length: 10 }, () => 401));
    const limited = await rotate(t, WRONG, { gracePeriod: '0s' }, flooder);
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(limited.json()).toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    // Even the right token: a right guess must not stand out from the 429s.
    expect((await rotate(t, RIGHT, { gracePeriod: '0s' }, flooder)).statusCode).toBe(429);
    expect(await audited(t, 'rotate-auth-secret', 'rate-limited')).toBe(2);
    expect((await rotate(t, RIGHT, { gracePeriod: '0s' }, '198.51.100.8')).statusCode).toBe(200);
  });

  it('does not count successes toward the limit', async () => {
    const operator = '203.0.113.5';
    for (let i = 0; i < 30; i++) {
      const ok = await t.app.inject({
        method: 'GET',
        url: '/admin/v1/keys',
        headers: RIGHT,
        remoteAddress: operator,
      });
      expect(ok.statusCode).toBe(200);
    }
    for (let i = 0; i < 10; i++) {
      expect((await rotate(t, WRONG, { gracePeriod: '0s' }, operator)).statusCode).toBe(401);
    }
  });

  it('answers no CORS on admin routes, while SDK routes keep theirs', async () => {
    const preflight = (url: string) =>
      t.app.inject({
        method: 'OPTIONS',
        url,
        headers: {
          origin: 'https://evil.example',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type',
        },
      });
    for (const url of [
      '/admin/v1/auth-secret/rotate',
      '/admin/v1/keys',
      '/api/1.0/admin/v1/keys',
    ]) {
      const response = await preflight(url);
      expect(response.statusCode).toBe(404);
      expect(response.headers).not.toHaveProperty('access-control-allow-origin');
      expect(response.headers).not.toHaveProperty('access-control-allow-methods');
    }
    const read = await t.app.inject({
      method: 'GET',
      url: '/admin/v1/keys',
      headers: { ...RIGHT, origin: 'https://evil.example' },
    });
    expect(read.statusCode).toBe(200);
    expect(read.headers).not.toHaveProperty('access-control-allow-origin');
    const sdk = await preflight('/client/auth');
    expect(sdk.statusCode).toBe(204);
    expect(sdk.headers['access-control-allow-origin']).toBe('*');
  });
});

describe('Admin API on a read replica', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ READ_REPLICA: 'true', ADMIN_API_TOKEN: TOKEN });
  });
  afterAll(() => t.close());

  it('asks for the token before saying it is a replica', async () => {
    expect((await rotate(t, {}, { gracePeriod: '1h' })).statusCode).toBe(401);
    expect((await rotate(t, WRONG, { gracePeriod: '1h' })).statusCode).toBe(401);
    const fenced = await rotate(t, RIGHT, { gracePeriod: '1h' });
    expect(fenced.statusCode).toBe(403);
    expect(fenced.json()).toMatchObject({ code: 'PRIMARY_ONLY' });
    expect(await audited(t, 'rotate-auth-secret', 'unauthorised')).toBe(2);
    expect(await audited(t, 'rotate-auth-secret', 'primary-only')).toBe(1);
  });
});
