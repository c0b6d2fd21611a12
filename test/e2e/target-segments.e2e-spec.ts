import type { Segment } from '../../src/model/segment.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { PRODUCTION_ENV_UUID, PRODUCTION_SERVER_SDK_KEY } from '../support/example-config.js';
import { authenticate, bearer } from '../support/sdk-requests.js';

describe('GET /client/env/:env/target-segments', () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await createTestApp();
    token = await authenticate(t.app, PRODUCTION_SERVER_SDK_KEY);
  });
  afterAll(() => t.close());

  const get = async (path: string) => {
    const response = await t.app.inject({ method: 'GET', url: path, headers: bearer(token) });
    return response;
  };
  const base = `/client/env/${PRODUCTION_ENV_UUID}/target-segments`;

  it('with rules=v2 serves servingRules and keeps legacy rules only where there are none', async () => {
    const response = await get(`${base}?rules=v2&cluster=1`);
    expect(response.statusCode).toBe(200);
    const segments = response.json<Segment[]>();
    const pilot = segments.find((s) => s.identifier === 'checkout-pilot');
    expect(pilot?.servingRules?.length).toBeGreaterThan(0);
    expect(pilot).not.toHaveProperty('rules');
    const beta = segments.find((s) => s.identifier === 'beta-testers');
    expect(beta?.rules?.length).toBeGreaterThan(0);
  });

  it('without rules=v2 serves only the legacy rules (back-filled from serving rules)', async () => {
    const segments = (await get(base)).json<Segment[]>();
    const pilot = segments.find((s) => s.identifier === 'checkout-pilot');
    expect(pilot).not.toHaveProperty('servingRules');
    expect(pilot?.rules?.length).toBe(2);
  });

  it('serves one segment by identifier in both shapes', async () => {
    const v2 = await get(`${base}/checkout-pilot?rules=v2`);
    expect(v2.statusCode).toBe(200);
    expect(v2.json<Segment>().servingRules?.length).toBeGreaterThan(0);
    const v1 = await get(`${base}/checkout-pilot`);
    expect(v1.json()).not.toHaveProperty('servingRules');
  });

  it('404s an unknown segment', async () => {
    const response = await get(`${base}/nope?rules=v2`);
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'NOT_FOUND' });
  });
});
