import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { PRODUCTION_ENV_UUID, PRODUCTION_SERVER_SDK_KEY } from '../support/example-config.js';
import { parseScrape, type Scrape } from '../support/prometheus-text.js';
import { authenticate, bearer } from '../support/sdk-requests.js';
import { SseClient } from '../support/sse-client.js';

const REQUESTS = 'ff_proxy_http_requests_total';
const DURATION = 'ff_proxy_http_requests_duration';
const BODIES = 'ff_http_requests_content_length_histogram';
const FEATURE_CONFIGS = '/client/env/:environment_uuid/feature-configs';

describe('ff_proxy_http_requests_* (the outermost HTTP hook)', () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await createTestApp({}, { listen: true });
    token = await authenticate(t.app, PRODUCTION_SERVER_SDK_KEY);
  });
  afterAll(() => t.close());

  const scrape = async (): Promise<Scrape> =>
    parseScrape((await t.app.inject({ url: '/metrics' })).body);

  it('exports the families with the Harness types and buckets', async () => {
    const s = await scrape();
    expect(s.types.get(REQUESTS)).toBe('counter');
    expect(s.types.get(DURATION)).toBe('histogram');
    expect(s.types.get(BODIES)).toBe('histogram');
    expect(s.buckets(BODIES)).toEqual([100, 200, 400, 800, 1600, 3200, 6400, 12800, 25600, 51200]);
  });

  it('labels a request with its route template (Go parameter names), environment and code', async () => {
    const before = await scrape();
    const labels = { url: FEATURE_CONFIGS, envID: PRODUCTION_ENV_UUID, code: '200' };
    const url = `/client/env/${PRODUCTION_ENV_UUID}/feature-configs?cluster=1`;
    await t.app.inject({ url, headers: bearer(token) });
    await t.app.inject({ url: `/api/1.0${url}`, headers: bearer(token) });
    const after = await scrape();
    expect(after.value(REQUESTS, labels) - before.value(REQUESTS, labels)).toBe(2);
    const count = `${DURATION}_count`;
    expect(
      after.value(count, { url: FEATURE_CONFIGS }) - before.value(count, { url: FEATURE_CONFIGS }),
    ).toBe(2);
    expect(after.buckets(DURATION)).toEqual([
      0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
    ]);
    expect(after.labelNames(REQUESTS).sort()).toEqual(['code', 'envID', 'url']);
  });

  it('counts refusals: a 401 without a token and a 404 with the url left empty', async () => {
    await t.app.inject({ url: `/client/env/${PRODUCTION_ENV_UUID}/target-segments` });
    await t.app.inject({ url: '/client/nowhere' });
    const s = await scrape();
    const segments = '/client/env/:environment_uuid/target-segments';
    expect(s.value(REQUESTS, { url: segments, envID: PRODUCTION_ENV_UUID, code: '401' })).toBe(1);
    expect(s.value(REQUESTS, { url: '', envID: '', code: '404' })).toBeGreaterThanOrEqual(1);
  });

  it('counts CORS preflights under the route they ask about', async () => {
    await t.app.inject({
      method: 'OPTIONS',
      url: '/client/auth',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' },
    });
    const s = await scrape();
    expect(s.value(REQUESTS, { url: '/client/auth', code: '204' })).toBe(1);
  });

  it('observes the Content-Length of POSTs only', async () => {
    const before = await scrape();
    await t.app.inject({ url: '/health' });
    await t.app.inject({
      url: `/client/env/${PRODUCTION_ENV_UUID}/feature-configs`,
      headers: bearer(token),
    });
    await authenticate(t.app, PRODUCTION_SERVER_SDK_KEY);
    const after = await scrape();
    const count = `${BODIES}_count`;
    expect(after.value(count) - before.value(count)).toBe(1);
    const body = JSON.stringify({ apiKey: PRODUCTION_SERVER_SDK_KEY }).length;
    expect(after.value(`${BODIES}_sum`) - before.value(`${BODIES}_sum`)).toBe(body);
    expect(after.value(REQUESTS, { url: '/client/auth', envID: '', code: '200' })).toBeGreaterThan(
      0,
    );
  });

  it('leaves the probes (/health, /livez) and the scrape itself out', async () => {
    await t.app.inject({ url: '/health' });
    await t.app.inject({ url: '/health?probe=1' });
    expect((await t.app.inject({ url: '/livez' })).statusCode).toBe(200);
    const s = await scrape();
    expect(s.matching(REQUESTS, { url: '/health' })).toEqual([]);
    expect(s.matching(REQUESTS, { url: '/livez' })).toEqual([]);
    expect(s.matching(REQUESTS, { url: '/metrics' })).toEqual([]);
  });

  it('measures /stream until its headers are sent, not for the life of the stream', async () => {
    const stream = await SseClient.connect(`${t.url ?? ''}/stream`, {
      headers: { ...bearer(token), 'API-Key': PRODUCTION_SERVER_SDK_KEY },
    });
    expect(stream.status).toBe(200);
    try {
      const s = await scrape();
      expect(s.value(REQUESTS, { url: '/stream', envID: '', code: '200' })).toBe(1);
      expect(s.value(`${DURATION}_count`, { url: '/stream' })).toBe(1);
      expect(s.value(`${DURATION}_sum`, { url: '/stream' })).toBeLessThan(1);
    } finally {
      stream.close();
    }
  });

  it('counts the SDK metrics route with its environment', async () => {
    await t.app.inject({
      method: 'POST',
      url: `/metrics/${PRODUCTION_ENV_UUID}`,
      headers: bearer(token),
      payload: { metricsData: [], targetData: [] },
    });
    const s = await scrape();
    const labels = { url: '/metrics/:environment_uuid', envID: PRODUCTION_ENV_UUID };
    expect(s.matching(REQUESTS, labels)).toHaveLength(1);
  });
});
