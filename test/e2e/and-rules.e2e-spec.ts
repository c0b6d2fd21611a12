import type { Client } from '@harnessio/ff-nodejs-server-sdk';
import type { Evaluation } from '../../src/model/evaluation.js';
import type { Segment } from '../../src/model/segment.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import {
  EXPECTED_EVALUATIONS,
  PRODUCTION_CLIENT_SDK_KEY,
  PRODUCTION_ENV_UUID,
  PRODUCTION_SERVER_SDK_KEY,
} from '../support/example-config.js';
import { nodeSdkClient } from '../support/node-sdk.js';
import { authenticate, bearer } from '../support/sdk-requests.js';

const SEGMENTS = `/client/env/${PRODUCTION_ENV_UUID}/target-segments`;
/**
 * alice (enterprise, in DE) matches only the first clause of `checkout-pilot`'s second serving
 * rule. By the serving rules (AND) she is not in the segment and gets `checkout-v2` from the
 * rollout (false); by the legacy rules (any clause) she is in it and gets `true`.
 */
const ALICE = EXPECTED_EVALUATIONS.production.find((row) => row.target.identifier === 'alice');
const ALICE_EVALUATION = `/client/env/${PRODUCTION_ENV_UUID}/target/alice/evaluations`;

describe.each([
  { mode: 'unset (ff-relay default: serving rules)', env: {}, andRules: true },
  { mode: 'true', env: { AND_RULES: 'true' }, andRules: true },
  {
    mode: 'false (the Go default: legacy rules only)',
    env: { AND_RULES: 'false' },
    andRules: false,
  },
])('AND_RULES $mode', ({ env, andRules }) => {
  let t: TestApp;
  let serverToken: string;
  let clientToken: string;
  let sdk: Client | undefined;

  beforeAll(async () => {
    t = await createTestApp(env, { listen: true });
    serverToken = await authenticate(t.app, PRODUCTION_SERVER_SDK_KEY);
    clientToken = await authenticate(t.app, PRODUCTION_CLIENT_SDK_KEY);
  });
  afterAll(async () => {
    sdk?.close();
    await t.close();
  });

  const get = (url: string, token = serverToken) =>
    t.app.inject({ method: 'GET', url, headers: bearer(token) });

  it('GET target-segments: servingRules only when on, with or without rules=v2', async () => {
    for (const query of ['?rules=v2&cluster=1', '', '?rules=v1']) {
      const segments = (await get(`${SEGMENTS}${query}`)).json<Segment[]>();
      const pilot = segments.find((s) => s.identifier === 'checkout-pilot');
      const servesV2 = andRules && query.startsWith('?rules=v2');
      expect({ query, servingRules: pilot?.servingRules !== undefined }).toEqual({
        query,
        servingRules: servesV2,
      });
      // Legacy SDKs need the back-filled rules whenever serving rules are not served.
      expect(pilot?.rules !== undefined).toBe(!servesV2);
      if (!andRules) {
        expect(segments.every((s) => s.servingRules === undefined)).toBe(true);
      }
    }
  });

  it('GET target-segments/:id answers in the same shape', async () => {
    const v2 = (await get(`${SEGMENTS}/checkout-pilot?rules=v2`)).json<Segment>();
    expect(v2.servingRules !== undefined).toBe(andRules);
    expect((await get(`${SEGMENTS}/checkout-pilot`)).json()).not.toHaveProperty('servingRules');
  });

  it('evaluations use the serving rules only when on', async () => {
    const one = await get(`${ALICE_EVALUATION}/checkout-v2`, clientToken);
    expect(one.statusCode).toBe(200);
    expect(one.json<Evaluation>().value).toBe(String(!andRules));
    const all = (await get(ALICE_EVALUATION, clientToken)).json<Evaluation[]>();
    expect(all.find((e) => e.flag === 'checkout-v2')?.value).toBe(String(!andRules));
  });

  it('the unmodified Node server SDK evaluates the same as the relay', async () => {
    sdk = nodeSdkClient(PRODUCTION_SERVER_SDK_KEY, t.url ?? '', { enableStream: false });
    await sdk.waitForInitialization();
    const target = { identifier: 'alice', name: 'Alice', attributes: ALICE?.target.attributes };
    const values = await Promise.all([
      sdk.boolVariation('checkout-v2', target, false),
      sdk.boolVariation('checkout-v2', target, true),
    ]);
    expect(values).toEqual([!andRules, !andRules]);
    // Every other documented value is unchanged by the mode (only checkout-pilot has AND rules).
    const dave = EXPECTED_EVALUATIONS.production.find((row) => row.target.identifier === 'dave');
    const daveTarget = { identifier: 'dave', name: 'Dave', attributes: dave?.target.attributes };
    expect(await sdk.boolVariation('checkout-v2', daveTarget, false)).toBe(true);
  });
});
