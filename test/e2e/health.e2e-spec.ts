import { createTestApp, type TestApp } from '../support/create-test-app.js';

describe('GET /health', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('reports config, upstream stream and cache state without authentication', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      configStatus: { state: 'SYNCED', since: expect.any(Number) },
      // Offline there is no upstream stream.
      streamStatus: { state: 'DISCONNECTED', since: expect.any(Number) },
      cacheStatus: 'healthy',
    });
  });
});

describe('GET /metrics (Prometheus)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({}, { inMemory: true });
  });
  afterAll(() => t.close());

  it('serves the text exposition format without authentication', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/plain');
    expect(response.body).toContain('process_cpu_user_seconds_total');
  });
});
