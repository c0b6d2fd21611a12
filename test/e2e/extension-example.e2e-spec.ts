import { TENANT_HEADER } from '../../examples/tenant-header/tenant.interceptor.js';
import { TenantModule } from '../../examples/tenant-header/tenant.module.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { PRODUCTION_ENV_UUID, PRODUCTION_SERVER_SDK_KEY } from '../support/example-config.js';
import { bearer } from '../support/sdk-requests.js';

// examples/tenant-header composed into ff-relay through createApp, as a team would do it.
describe('extension example: a tenant interceptor composed beside ff-relay', () => {
  let t: TestApp;
  let token: string;
  const tenant = { [TENANT_HEADER]: 'acme' };
  const configs = `/client/env/${PRODUCTION_ENV_UUID}/feature-configs`;

  beforeAll(async () => {
    t = await createTestApp({}, { listen: true, compose: { imports: [TenantModule] } });
    const auth = await t.app.inject({
      method: 'POST',
      url: '/client/auth',
      headers: tenant,
      payload: { apiKey: PRODUCTION_SERVER_SDK_KEY },
    });
    if (auth.statusCode !== 200) {
      throw new Error(`auth failed: ${auth.statusCode} ${auth.body}`);
    }
    token = auth.json<{ authToken: string }>().authToken;
  });
  afterAll(() => t.close());

  const scrape = async () => (await t.app.inject({ method: 'GET', url: '/metrics' })).body;

  it('refuses an SDK request without the header with ff-relay JSON error body', async () => {
    const response = await t.app.inject({ method: 'GET', url: configs, headers: bearer(token) });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      statusCode: 400,
      code: 'BAD_REQUEST',
      message: expect.stringContaining(TENANT_HEADER) as string,
    });
    const auth = await t.app.inject({
      method: 'POST',
      url: '/client/auth',
      headers: { [TENANT_HEADER]: 'Not A Tenant!' },
      payload: { apiKey: PRODUCTION_SERVER_SDK_KEY },
    });
    expect(auth.statusCode).toBe(400);
  });

  it('runs after ff-relay authentication: a bad token is still a 401', async () => {
    const response = await t.app.inject({ method: 'GET', url: configs, headers: tenant });
    expect(response.statusCode).toBe(401);
  });

  it('passes the pre-serialised bytes through untouched and counts per tenant and route', async () => {
    const before = await scrape();
    expect(before).not.toContain('tenant="globex"');
    const headers = { ...bearer(token), [TENANT_HEADER]: 'globex' };
    const first = await t.app.inject({ method: 'GET', url: configs, headers });
    const second = await t.app.inject({ method: 'GET', url: configs, headers });
    expect(first.statusCode).toBe(200);
    expect(first.headers[TENANT_HEADER]).toBe('globex');
    expect(first.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(second.body).toBe(first.body);
    expect(first.body.endsWith(']\n')).toBe(true);
    expect(await scrape()).toContain(
      'ff_relay_example_tenant_requests_total{tenant="globex",route="/client/env/:environment_uuid/feature-configs"} 2',
    );
  });

  it('sees /stream before it takes over the socket: header required, its headers kept', async () => {
    const url = t.url ?? '';
    const refused = await fetch(`${url}/stream`, {
      headers: { ...bearer(token), 'api-key': PRODUCTION_SERVER_SDK_KEY },
    });
    expect(refused.status).toBe(400);
    const controller = new AbortController();
    const stream = await fetch(`${url}/stream`, {
      headers: { ...bearer(token), 'api-key': PRODUCTION_SERVER_SDK_KEY, ...tenant },
      signal: controller.signal,
    });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toBe('text/event-stream');
    expect(stream.headers.get(TENANT_HEADER)).toBe('acme');
    controller.abort();
    expect(await scrape()).toContain(
      'ff_relay_example_tenant_requests_total{tenant="acme",route="/stream"} 1',
    );
  });

  it('leaves the operational routes alone', async () => {
    const health = await t.app.inject({ method: 'GET', url: '/health' });
    expect(health.statusCode).toBe(200);
  });
});
