import * as fc from 'fast-check';
import { createTestApp, TEST_AUTH_SECRET, type TestApp } from '../support/create-test-app.js';
import {
  PRODUCTION_ENV_UUID,
  PRODUCTION_SERVER_SDK_KEY,
  STAGING_ENV_UUID,
} from '../support/example-config.js';
import { authenticate, craftToken } from '../support/sdk-requests.js';

const RUNS = 10_000;
const SEED = 20_261_129;

/**
 * Random requests across every route (SDK and Admin API): hostile paths, headers, tokens and
 * bodies. None may get a 5xx or crash the relay, and the config it serves must not change.
 */
// On Redis as production runs it, and on the in-memory store of the zero-setup default.
describe.each(['redis', 'in-memory'] as const)('fuzz: 10,000 random requests (%s)', (store) => {
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    t = await createTestApp(
      { ADMIN_API_TOKEN: 'fuzz-admin-token-of-32-characters-x' },
      { inMemory: store === 'in-memory' },
    );
    token = await authenticate(t.app, PRODUCTION_SERVER_SDK_KEY);
  });
  afterAll(() => t.close());

  const served = async () =>
    (
      await t.app.inject({
        url: `/client/env/${PRODUCTION_ENV_UUID}/feature-configs`,
        headers: { authorization: `Bearer ${token}` },
      })
    ).body;

  it('answers every one without a 5xx and serves the same config after', async () => {
    const before = await served();
    const segment = fc.oneof(
      fc.constantFrom(
        PRODUCTION_ENV_UUID,
        STAGING_ENV_UUID,
        'dark-mode',
        'beta-testers',
        '..',
        '%2e%2e',
        '%00',
        'ü',
        '*',
      ),
      fc.string({ maxLength: 40 }).map(encodeURIComponent),
      fc.constant('x'.repeat(3_000)),
    );
    const path = fc.oneof(
      fc
        .tuple(segment, segment, segment)
        .map(
          ([env, id, target]) =>
            fc.sample(
              fc.constantFrom(
                `/client/auth`,
                `/client/env/${env}/feature-configs`,
                `/client/env/${env}/feature-configs/${id}`,
                `/client/env/${env}/target-segments/${id}?rules=v2`,
                `/client/env/${env}/target/${target}/evaluations`,
                `/client/env/${env}/target/${target}/evaluations/${id}`,
                `/metrics/${env}`,
                `/api/1.0/client/env/${env}/feature-configs?cluster=${id}`,
                `/admin/v1/keys`,
                `/admin/v1/auth-secret/rotate`,
                `/admin/v1/${id}`,
                `/health`,
                `/${id}/${target}`,
              ),
              { numRuns: 1, seed: env.length + id.length },
            )[0] as string,
        ),
      // A request line always has a path: an empty one cannot reach a server.
      fc.webPath().map((p) => (p.startsWith('/') ? p : `/${p}`)),
    );
    const authorization = fc.oneof(
      fc.constant(`Bearer ${token}`),
      fc.constant('Bearer fuzz-admin-token-of-32-characters-x'),
      fc.constant(
        `Bearer ${craftToken({ apiKey: 'auth-key-00', environment: STAGING_ENV_UUID }, { secret: TEST_AUTH_SECRET })}`,
      ),
      fc.constant(`Bearer ${craftToken({ environment: PRODUCTION_ENV_UUID }, { alg: 'none' })}`),
      fc.string({ maxLength: 60 }),
    );
    const body = fc.oneof(
      fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
      fc
        .record({
          apiKey: fc.oneof(fc.string(), fc.constant(PRODUCTION_SERVER_SDK_KEY)),
          target: fc.jsonValue({ maxDepth: 3 }),
        })
        .map((v) => JSON.stringify(v)),
      fc
        .record({
          metricsData: fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 5 }),
          gracePeriod: fc.string(),
        })
        .map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 200 }),
    );
    const request = fc.record({
      method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'),
      url: path,
      authorization: fc.option(authorization, { nil: undefined }),
      target: fc.option(
        fc.oneof(fc.base64String({ maxLength: 200 }), fc.string({ maxLength: 50 })),
        { nil: undefined },
      ),
      contentType: fc.constantFrom(
        'application/json',
        'text/plain',
        'application/x-www-form-urlencoded',
        'application/json; charset=utf-8',
      ),
      body,
    });
    let statuses = 0;
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const response = await t.app.inject({
          method: r.method as 'GET',
          url: r.url,
          headers: {
            ...(r.authorization === undefined ? {} : { authorization: r.authorization }),
            ...(r.target === undefined ? {} : { 'harness-target': r.target }),
            'content-type': r.contentType,
          },
          ...(['GET', 'HEAD', 'OPTIONS'].includes(r.method) ? {} : { payload: r.body }),
        });
        statuses += 1;
        return response.statusCode < 500;
      }),
      { numRuns: RUNS, seed: SEED },
    );
    expect(statuses).toBeGreaterThanOrEqual(RUNS);
    expect(await served()).toBe(before);
  }, 120_000);
});
