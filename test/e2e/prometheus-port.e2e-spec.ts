import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { PRODUCTION_ENV_UUID, PRODUCTION_SERVER_SDK_KEY } from '../support/example-config.js';
import { freePort } from '../support/ports.js';
import { parseScrape } from '../support/prometheus-text.js';
import { authenticate, bearer } from '../support/sdk-requests.js';

describe('GET /metrics on PROMETHEUS_PORT', () => {
  let t: TestApp;
  let metricsUrl: string;
  beforeAll(async () => {
    const port = await freePort();
    t = await createTestApp({ PROMETHEUS_PORT: String(port) }, { listen: true });
    metricsUrl = `http://127.0.0.1:${port}`;
  });
  afterAll(() => t.close());

  it('serves the scrape on its own plain-HTTP port', async () => {
    const response = await fetch(`${metricsUrl}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const scrape = parseScrape(await response.text());
    expect(scrape.has('ff_proxy_http_requests_total')).toBe(true);
    expect(scrape.has('process_resident_memory_bytes')).toBe(true);
    expect(scrape.value('promhttp_metric_handler_errors_total', { cause: 'gathering' })).toBe(0);
  });

  it('gzips the scrape for a scraper that asks', async () => {
    const response = await fetch(`${metricsUrl}/metrics`, {
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(response.headers.get('content-encoding')).toBe('gzip');
    // fetch decodes gzip itself: what arrives is the text, and it parses.
    expect(parseScrape(await response.text()).has('ff_proxy_http_requests_total')).toBe(true);
  });

  it('serves nothing else there', async () => {
    expect((await fetch(`${metricsUrl}/health`)).status).toBe(404);
    expect((await fetch(`${metricsUrl}/metrics`, { method: 'POST', body: '{}' })).status).toBe(404);
  });

  it('no longer serves GET /metrics on the main port; SDK metrics still go there', async () => {
    expect((await t.app.inject({ url: '/metrics' })).statusCode).toBe(404);
    const token = await authenticate(t.app, PRODUCTION_SERVER_SDK_KEY);
    const post = await t.app.inject({
      method: 'POST',
      url: `/metrics/${PRODUCTION_ENV_UUID}`,
      headers: bearer(token),
      payload: { metricsData: [], targetData: [] },
    });
    expect(post.statusCode).toBeLessThan(300);
    const scrape = parseScrape(await (await fetch(`${metricsUrl}/metrics`)).text());
    expect(scrape.value('ff_proxy_http_requests_total', { url: '', code: '404' })).toBe(1);
  });
});

describe('the PROMETHEUS_PORT listener at shutdown', () => {
  it('is closed with the app', async () => {
    const port = await freePort();
    const t = await createTestApp({ PROMETHEUS_PORT: String(port) });
    expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(200);
    await t.close();
    await expect(fetch(`http://127.0.0.1:${port}/metrics`)).rejects.toThrow();
  });
});
