import { SdkMetricsService } from '../../src/sdk-metrics/sdk-metrics.service.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import {
  PRODUCTION_ENV_UUID,
  PRODUCTION_SERVER_SDK_KEY,
  STAGING_ENV_UUID,
} from '../support/example-config.js';
import { authenticate, bearer } from '../support/sdk-requests.js';

const batch = {
  metricsData: [
    {
      timestamp: 1700000000000,
      count: 3,
      metricsType: 'FFMETRICS',
      attributes: [
        { key: 'featureIdentifier', value: 'dark-mode' },
        { key: 'variationIdentifier', value: 'true' },
        { key: 'target', value: null },
      ],
    },
  ],
  targetData: [{ identifier: 'u1', name: 'U 1', attributes: [{ key: 'age', value: '27' }] }],
};

describe('POST /metrics/:env', () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await createTestApp({ BODY_LIMIT_BYTES: '2048' });
    token = await authenticate(t.app, PRODUCTION_SERVER_SDK_KEY);
  });
  afterAll(() => t.close());

  const post = (payload: unknown, env = PRODUCTION_ENV_UUID) =>
    t.app.inject({
      method: 'POST',
      url: `/metrics/${env}?cluster=1`,
      headers: { ...bearer(token), 'content-type': 'application/json' },
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    });

  it('accepts an SDK batch with 200 and a JSON null', async () => {
    const before = t.app.get(SdkMetricsService).droppedCount;
    const response = await post(batch);
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('null\n');
    // Offline mode accepts and drops, as Harness does.
    expect(t.app.get(SdkMetricsService).droppedCount).toBe(before + 2);
  });

  it('accepts an empty object (every part is optional)', async () => {
    expect((await post({})).statusCode).toBe(200);
  });

  it.each([
    ['malformed JSON', '{"metricsData": ['],
    ['metricsData that is not an array', { metricsData: {} }],
    ['a count that is not a number', { metricsData: [{ ...batch.metricsData[0], count: 'x' }] }],
    [
      'an attribute without a key',
      { metricsData: [{ ...batch.metricsData[0], attributes: [{}] }] },
    ],
    ['targetData without identifiers', { targetData: [{ name: 'x' }] }],
  ])('400 for %s', async (_case, payload) => {
    const response = await post(payload);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ statusCode: 400 });
  });

  it('413 for a body over the limit', async () => {
    const big = { targetData: [{ identifier: 'x'.repeat(4000) }] };
    expect((await post(big)).statusCode).toBe(413);
  });

  it('401 when the token belongs to another environment', async () => {
    expect((await post(batch, STAGING_ENV_UUID)).statusCode).toBe(401);
  });
});
