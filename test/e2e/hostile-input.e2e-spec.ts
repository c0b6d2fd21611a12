import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { PRODUCTION_ENV_UUID, PRODUCTION_SERVER_SDK_KEY } from '../support/example-config.js';
import { authenticate, bearer } from '../support/sdk-requests.js';

/** JSON nested `depth` levels deep: `{"a":{"a":…"leaf"…}}`, built as text (no recursion). */
function deepJson(depth: number): string {
  return `${'{"a":'.repeat(depth)}"leaf"${'}'.repeat(depth)}`;
}

/** Requests one client can send to stall, crash or confuse a relay: each a short 4xx. */
describe.each(['redis', 'in-memory'] as const)('hostile and odd input (%s)', (store) => {
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    t = await createTestApp({}, { inMemory: store === 'in-memory' });
    token = await authenticate(t.app, PRODUCTION_SERVER_SDK_KEY);
  });
  afterAll(() => t.close());

  it('refuses 100,000 metrics entries at once, with a short error', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: `/metrics/${PRODUCTION_ENV_UUID}`,
      headers: { ...bearer(token), 'content-type': 'application/json' },
      payload: `{"metricsData":[${Array.from({ length: 100_000 }, () => '{}').join(',')}]}`,
    });
    expect(response.statusCode).toBe(400);
    expect(response.body.length).toBeLessThan(1_000);
    expect(response.json()).toMatchObject({ message: expect.stringContaining('longer than') });
  });

  it('refuses a body nested 3,000 levels deep with 400, not a stack overflow', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/client/auth',
      headers: { 'content-type': 'application/json' },
      payload: `{"apiKey":"${PRODUCTION_SERVER_SDK_KEY}","target":{"identifier":"x","attributes":${deepJson(3_000)}}}`,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ message: expect.stringContaining('deeper than') });
  });

  it('refuses a Harness-Target header nested 3,000 levels deep with 400', async () => {
    const target = `{"identifier":"x","attributes":${deepJson(3_000)}}`;
    const response = await t.app.inject({
      url: `/client/env/${PRODUCTION_ENV_UUID}/target/x/evaluations`,
      headers: { ...bearer(token), 'harness-target': Buffer.from(target).toString('base64') },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ message: expect.stringContaining('Harness-Target') });
  });

  it('refuses a target too large to store (900 kB of attributes)', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/client/auth',
      headers: { 'content-type': 'application/json' },
      payload: {
        apiKey: PRODUCTION_SERVER_SDK_KEY,
        target: { identifier: 'big', attributes: { blob: 'x'.repeat(900 * 1024) } },
      },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ message: expect.stringContaining('attributes') });
  });

  it('takes JSON only on /client/auth: a form body is a 415', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/client/auth',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `apiKey=${PRODUCTION_SERVER_SDK_KEY}`,
    });
    expect(response.statusCode).toBe(415);
  });

  it('reads /api/1.0?x=1 as the root with a query, not as the path "?x=1"', async () => {
    const response = await t.app.inject({ url: '/api/1.0?x=1' });
    expect(response.statusCode).toBe(404);
    // Nest names the URL as sent; what matters is that it was not routed as the path "?x=1".
    expect(response.json<{ message: string }>().message).not.toBe('Cannot GET ?x=1');
    const health = await t.app.inject({ url: '/api/1.0/health?x=1' });
    expect(health.statusCode).toBe(200);
  });

  it.each([
    ['a path traversal', `/client/env/../../../etc/passwd`],
    ['an encoded path traversal', `/client/env/%2e%2e%2f%2e%2e/feature-configs`],
    ['an oversized environment', `/client/env/${'e'.repeat(5_000)}/feature-configs`],
    [
      'an oversized flag identifier',
      `/client/env/${PRODUCTION_ENV_UUID}/feature-configs/${'f'.repeat(5_000)}`,
    ],
  ])('answers %s with a 4xx and no file or stack', async (_case, url) => {
    const response = await t.app.inject({ url, headers: bearer(token) });
    expect(response.statusCode).toBeGreaterThanOrEqual(400);
    expect(response.statusCode).toBeLessThan(500);
    expect(response.body).not.toContain('root:');
    expect(response.body).not.toMatch(/\s+at /);
  });

  it('still serves after all of that', async () => {
    const response = await t.app.inject({
      url: `/client/env/${PRODUCTION_ENV_UUID}/feature-configs`,
      headers: bearer(token),
    });
    expect(response.statusCode).toBe(200);
  });
});
