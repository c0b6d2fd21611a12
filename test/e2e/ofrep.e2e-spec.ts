import { createHash } from 'node:crypto';
import * as fc from 'fast-check';
import { sha256Hex } from '../../src/cache/cache-keys.js';
import type { Evaluation } from '../../src/model/evaluation.js';
import { ConfigUpdater } from '../../src/sync/offline/config-updater.service.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { buildEnvironment } from '../support/differential/build-environment.js';
import { rawEnvironmentArb, targetArb } from '../support/differential/raw-environment.js';
import {
  EXAMPLE_CONFIG_DIR,
  PRODUCTION_CLIENT_SDK_KEY,
  PRODUCTION_ENV_UUID,
  PRODUCTION_SERVER_SDK_KEY,
} from '../support/example-config.js';
import { typedValue } from '../support/ofrep.js';
import { RedisServer } from '../support/redis-server.js';
import { authenticate, bearer } from '../support/sdk-requests.js';
import { OfflineConfigEditor } from '../support/offline-config-editor.js';

const SEED = 20_261_203;
const NUM_RUNS = 150;
const ALICE = { targetingKey: 'alice', name: 'Alice', country: 'DE', plan: 'enterprise' };

interface Answer {
  key: string;
  value?: unknown;
  variant?: string;
  reason?: string;
  errorCode?: string;
  errorDetails?: string;
  metadata?: Record<string, unknown>;
}
interface Bulk {
  flags: Answer[];
  eventStreams: { type: string; endpoint: { requestUri: string }; inactivityDelaySec: number }[];
}

describe('OFREP routes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const post = (url: string, payload: string, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url,
      payload,
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'x-api-key': PRODUCTION_SERVER_SDK_KEY,
        ...headers,
      },
    });
  const flag = (key: string, context: unknown, headers: Record<string, string> = {}) =>
    post(`/ofrep/v1/evaluate/flags/${key}`, JSON.stringify({ context }), headers);
  const bulk = (context: unknown, headers: Record<string, string> = {}) =>
    post('/ofrep/v1/evaluate/flags', JSON.stringify({ context }), headers);

  describe('POST /ofrep/v1/evaluate/flags/:key', () => {
    it.each([
      ['dark-mode', 'boolean', 'TARGETING_MATCH'],
      ['banner-text', 'string', 'TARGETING_MATCH'],
      ['max-items', 'number', 'TARGETING_MATCH'],
      ['theme-config', 'object', 'SPLIT'],
    ])(
      'answers %s typed by its kind (%s), with its variation and reason',
      async (key, type, reason) => {
        const response = await flag(key, ALICE);
        expect(response.statusCode).toBe(200);
        expect(response.headers['content-type']).toMatch(/^application\/json/);
        const answer = response.json<Answer>();
        expect(answer).toMatchObject({ key, reason });
        expect(typeof answer.value).toBe(type);
        expect(typeof answer.variant).toBe('string');
        expect(answer.metadata).toEqual({ version: expect.any(Number) as number });
      },
    );

    it('takes the key as a Bearer credential too, client keys included', async () => {
      const response = await flag('dark-mode', ALICE, {
        'x-api-key': '',
        authorization: `Bearer ${PRODUCTION_CLIENT_SDK_KEY}`,
      });
      expect(response.json<Answer>()).toMatchObject({ key: 'dark-mode', value: true });
    });

    it.each([
      ['an unknown flag', 'nope', ALICE, 404, 'FLAG_NOT_FOUND'],
      [
        'a targeted flag with no targeting key',
        'dark-mode',
        { plan: 'pro' },
        400,
        'TARGETING_KEY_MISSING',
      ],
      ['a context that is not an object', 'dark-mode', [1], 400, 'INVALID_CONTEXT'],
      ['a non-string targeting key', 'dark-mode', { targetingKey: 7 }, 400, 'INVALID_CONTEXT'],
      [
        'a nested attribute',
        'dark-mode',
        { targetingKey: 'a', org: { id: 1 } },
        400,
        'INVALID_CONTEXT',
      ],
    ])('answers %s with the OFREP error', async (_, key, context, status, errorCode) => {
      const response = await flag(key, context);
      expect(response.statusCode).toBe(status);
      expect(response.json()).toEqual({
        key,
        errorCode,
        errorDetails: expect.any(String) as string,
      });
    });

    it.each([
      ['bad JSON', '{"context":'],
      ['a body that is not an object', '[1,2]'],
    ])('answers %s with PARSE_ERROR', async (_, payload) => {
      const response = await post('/ofrep/v1/evaluate/flags/dark-mode', payload);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ key: 'dark-mode', errorCode: 'PARSE_ERROR' });
    });

    it.each([
      ['a wrong key', { 'x-api-key': 'not-a-key' }],
      ['no key', { 'x-api-key': '' }],
      ['a Harness SDK token instead of a key', { 'x-api-key': '', authorization: 'Bearer a.b.c' }],
    ])('refuses %s with 401', async (_, headers) => {
      const response = await flag('dark-mode', ALICE, headers);
      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({ key: 'dark-mode', errorCode: 'GENERAL' });
    });

    it('answers another method with 405', async () => {
      const response = await t.app.inject({ method: 'GET', url: '/ofrep/v1/evaluate/flags/x' });
      expect(response.statusCode).toBe(405);
    });
  });

  describe('POST /ofrep/v1/evaluate/flags', () => {
    it('answers every flag, per-flag errors included, with an event stream that never names the key', async () => {
      const anonymous = await bulk({});
      expect(anonymous.statusCode).toBe(200);
      const body = anonymous.json<Bulk>();
      expect(body.flags).toHaveLength(14);
      expect(body.flags.find((f) => f.key === 'dark-mode')?.errorCode).toBe(
        'TARGETING_KEY_MISSING',
      );
      expect(body.flags.find((f) => f.key === 'legacy-reports')).toMatchObject({
        value: false,
        reason: 'DISABLED',
      });
      const [stream] = body.eventStreams;
      expect(stream).toMatchObject({ type: 'sse', inactivityDelaySec: 120 });
      expect(stream?.endpoint.requestUri).toMatch(
        /^\/ofrep\/v1\/events\?token=[\w-]+\.[\w-]+\.[\w-]+$/,
      );
      expect(anonymous.body).not.toContain(PRODUCTION_SERVER_SDK_KEY);
      expect(anonymous.body).not.toContain(sha256Hex(PRODUCTION_SERVER_SDK_KEY).slice(0, 12) + 'x');
    });

    it('answers 304 to its ETag until the content changes; the ETag differs per context', async () => {
      const first = await bulk(ALICE);
      const etag = String(first.headers.etag);
      expect(etag).toMatch(/^".+"$/);
      const again = await bulk(ALICE, { 'if-none-match': etag });
      expect(again.statusCode).toBe(304);
      expect(again.body).toBe('');
      expect(again.headers.etag).toBe(etag);
      const bob = await bulk({ ...ALICE, targetingKey: 'bob' }, { 'if-none-match': etag });
      expect(bob.statusCode).toBe(200);
      expect(bob.headers.etag).not.toBe(etag);
      const updater = new OfflineConfigEditor(t.app);
      await updater.upsertFlag(PRODUCTION_ENV_UUID, {
        feature: 'etag-probe',
        kind: 'boolean',
        state: 'off',
        offVariation: 'false',
        defaultServe: { variation: 'true' },
        variations: [
          { identifier: 'true', value: 'true' },
          { identifier: 'false', value: 'false' },
        ],
        version: 1,
      });
      const changed = await bulk(ALICE, { 'if-none-match': etag });
      expect(changed.statusCode).toBe(200);
      expect(changed.json<Bulk>().flags.find((f) => f.key === 'etag-probe')).toMatchObject({
        value: false,
        variant: 'false',
        reason: 'DISABLED',
      });
      await updater.deleteFlag(PRODUCTION_ENV_UUID, 'etag-probe');
    });

    it('answers bad JSON with a bulk PARSE_ERROR (no key) and a wrong key with 401', async () => {
      const bad = await post('/ofrep/v1/evaluate/flags', '{"context":');
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toEqual({
        errorCode: 'PARSE_ERROR',
        errorDetails: expect.any(String) as string,
      });
      const wrong = await bulk(ALICE, { 'x-api-key': 'not-a-key' });
      expect(wrong.statusCode).toBe(401);
    });
  });

  describe('CORS', () => {
    it('lets a page on another origin preflight and read the ETag', async () => {
      const preflight = await t.app.inject({
        method: 'OPTIONS',
        url: '/ofrep/v1/evaluate/flags',
        headers: {
          origin: 'https://app.example',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,x-api-key,if-none-match',
        },
      });
      expect(preflight.statusCode).toBe(204);
      expect(preflight.headers['access-control-allow-origin']).toBe('*');
      expect(String(preflight.headers['access-control-allow-methods'])).toContain('POST');
      const response = await bulk(ALICE, { origin: 'https://app.example' });
      expect(response.headers['access-control-allow-origin']).toBe('*');
      expect(response.headers['access-control-expose-headers']).toBe('ETag');
    });
  });

  describe('decisions', () => {
    // Random environments and targets (the evaluator differential's generators): OFREP serves
    // exactly the variation /evaluations serves, for every flag. Failures print the seed.
    it('are the same as GET /client/env/:env/target/:target/evaluations, flag for flag', async () => {
      const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : SEED;
      console.log(`ofrep vs /evaluations: fast-check seed ${seed}, ${NUM_RUNS} environments`);
      const updater = t.app.get(ConfigUpdater);
      let run = 0;
      let compared = 0;
      const environmentArb = rawEnvironmentArb.map(buildEnvironment);
      const targetsArb = fc.array(targetArb, { minLength: 1, maxLength: 4 });
      await fc.assert(
        fc.asyncProperty(environmentArb, targetsArb, async (environment, targets) => {
          const id = `ofrep-prop-${run}`;
          const key = `ofrep-prop-key-${run++}`;
          await updater.loadEnvironment({
            id,
            apiKeys: [sha256Hex(key)],
            featureConfigs: environment.flags,
            segments: environment.segments,
            targets: [],
          });
          const token = await authenticate(t.app, key);
          for (const generated of targets) {
            // One context member per name: an attribute called `name` cannot sit beside the name.
            const { name: _, ...attributes } = generated.attributes;
            const target = { ...generated, attributes };
            const header = Buffer.from(JSON.stringify(target)).toString('base64');
            const harness = await t.app.inject({
              method: 'GET',
              url: `/client/env/${id}/target/${target.identifier}/evaluations`,
              headers: { ...bearer(token), 'harness-target': header },
            });
            const context = { targetingKey: target.identifier, name: target.name, ...attributes };
            const ofrep = await bulk(context, { 'x-api-key': key });
            const answers = new Map(ofrep.json<Bulk>().flags.map((f) => [f.key, f]));
            for (const evaluation of harness.json<Evaluation[]>()) {
              const answer = answers.get(evaluation.flag);
              compared += 1;
              expect({ flag: evaluation.flag, ...decisionOf(answer) }).toEqual({
                flag: evaluation.flag,
                ...harnessDecision(evaluation),
              });
            }
          }
        }),
        { seed, numRuns: NUM_RUNS },
      );
      expect(compared).toBeGreaterThan(NUM_RUNS);
    }, 120_000);
  });
});

/** A served variation and its value, or that nothing was served. */
function harnessDecision(evaluation: Evaluation) {
  return evaluation.identifier === ''
    ? { served: false }
    : { served: true, variant: evaluation.identifier, value: typedOrRaw(evaluation) };
}

function decisionOf(answer: Answer | undefined) {
  if (!answer || answer.errorCode === 'GENERAL') {
    return { served: false };
  }
  // A value the flag's kind cannot hold (e.g. "abc" in an int flag) is a PARSE_ERROR in OFREP.
  return answer.errorCode === 'PARSE_ERROR'
    ? { served: true, variant: 'unparsable', value: 'unparsable' }
    : { served: true, variant: answer.variant, value: answer.value };
}

function typedOrRaw(evaluation: Evaluation): unknown {
  const value = typedValue(evaluation);
  return evaluation.kind === 'int' && !Number.isFinite(value) ? 'unparsable' : value;
}

describe('OFREP with the cache down', () => {
  it('answers an unknown key with 503, never 401', async () => {
    const redis = await RedisServer.start();
    const t = await createTestApp(
      {
        CONFIG_DIR: EXAMPLE_CONFIG_DIR,
        REDIS_ADDRESS: redis.address,
        REDIS_READ_TIMEOUT: '500ms',
        REDIS_DIAL_TIMEOUT: '500ms',
      },
      { keepRedis: true },
    );
    try {
      await redis.stop();
      const response = await t.app.inject({
        method: 'POST',
        url: '/ofrep/v1/evaluate/flags/dark-mode',
        payload: { context: ALICE },
        headers: { 'x-api-key': createHash('sha256').update('unknown').digest('hex') },
      });
      expect(response.statusCode).toBe(503);
    } finally {
      await t.close();
    }
  });
});

describe('OFREP: unknown SDK keys from one address', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ AUTH_RATE_LIMIT: '3' });
  });
  afterAll(() => t.close());

  const ask = (key: string, remoteAddress: string) =>
    t.app.inject({
      method: 'POST',
      url: '/ofrep/v1/evaluate/flags/dark-mode',
      payload: { context: ALICE },
      headers: { 'x-api-key': key },
      remoteAddress,
    });

  it('are bounded by AUTH_RATE_LIMIT a minute: then 429 with Retry-After, even for a right key', async () => {
    for (let i = 0; i < 3; i += 1) {
      expect((await ask(`guess-${i}`, '10.9.0.1')).statusCode).toBe(401);
    }
    const limited = await ask(PRODUCTION_SERVER_SDK_KEY, '10.9.0.1');
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // In OFREP's error shape, as every error of these routes.
    expect(limited.json()).toMatchObject({
      key: 'dark-mode',
      errorCode: 'GENERAL',
      errorDetails: expect.stringMatching(/too many unknown/),
    });
    // Another address, and right keys however many, are not held back.
    for (let i = 0; i < 5; i += 1) {
      expect((await ask(PRODUCTION_SERVER_SDK_KEY, '10.9.0.2')).statusCode).toBe(200);
    }
  });
});
