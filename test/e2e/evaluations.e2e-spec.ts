import type { Evaluation } from '../../src/model/evaluation.js';
import type { FeatureConfig } from '../../src/model/feature-config.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import {
  EXAMPLE_ENVIRONMENTS,
  EXPECTED_EVALUATIONS,
  type ExampleFlagValue,
  PRODUCTION_CLIENT_SDK_KEY,
  PRODUCTION_ENV_UUID,
  STAGING_ENV_UUID,
} from '../support/example-config.js';
import { authenticate, bearer } from '../support/sdk-requests.js';
import { OfflineConfigEditor } from '../support/offline-config-editor.js';

const production = EXAMPLE_ENVIRONMENTS.production;

/** The wire `value` string of an expected value (what the proxy sends before SDK conversion). */
function wireValue(value: ExampleFlagValue): string {
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function headerFor(target: object): string {
  return Buffer.from(JSON.stringify(target)).toString('base64');
}

describe('GET /client/env/:env/target/:target/evaluations', () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await createTestApp();
    token = await authenticate(t.app, PRODUCTION_CLIENT_SDK_KEY);
  });
  afterAll(() => t.close());

  const get = (path: string, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'GET', url: path, headers: { ...bearer(token), ...headers } });
  const base = (target: string) =>
    `/client/env/${PRODUCTION_ENV_UUID}/target/${target}/evaluations`;

  describe.each(
    EXPECTED_EVALUATIONS.production.map((row) => [row.target.identifier, row] as const),
  )('for %s', (id, row) => {
    const expected = Object.entries(row.values)
      .map(([flag, value]) => ({ flag, value: wireValue(value) }))
      .sort((a, b) => a.flag.localeCompare(b.flag));

    it('evaluates every flag from the Harness-Target header', async () => {
      const response = await get(`${base(id)}?cluster=1`, {
        'harness-target': headerFor(row.target),
      });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
      const evaluations = response.json<Evaluation[]>();
      for (const evaluation of evaluations) {
        expect(evaluation.kind).toBe(production.flags[evaluation.flag]);
        expect(evaluation.identifier).not.toBe('');
      }
      const actual = evaluations
        .map(({ flag, value }) => ({ flag, value }))
        .sort((a, b) => a.flag.localeCompare(b.flag));
      expect(actual).toEqual(expected);
    });

    // Only targets in targets.json are stored; the header test covers the others.
    if (row.target.inTargetsFile) {
      it('uses the stored target when there is no header', async () => {
        const actual = (await get(base(id)))
          .json<Evaluation[]>()
          .map(({ flag, value }) => ({ flag, value }))
          .sort((a, b) => a.flag.localeCompare(b.flag));
        expect(actual).toEqual(expected);
      });
    }

    it('evaluates one flag', async () => {
      const [flag, value] = Object.entries(row.values)[0] ?? [];
      const response = await get(`${base(id)}/${flag}`, {
        'harness-target': headerFor(row.target),
      });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ flag, value: wireValue(value ?? '') });
    });
  });

  it('returns json-kind values raw, not double-encoded', async () => {
    const response = await get(`${base('erin')}/theme-config`);
    const value = response.json<Evaluation>().value;
    expect(typeof JSON.parse(value)).toBe('object');
  });

  it('falls back to the stored target when the header is unusable', async () => {
    const alice = EXPECTED_EVALUATIONS.production.find((r) => r.target.identifier === 'alice');
    const response = await get(`${base('alice')}/banner-text`, { 'harness-target': '%%%' });
    expect(response.json<Evaluation>().value).toBe(alice?.values['banner-text']);
  });

  it('evaluates a target the proxy has never seen by its identifier alone', async () => {
    const response = await get(base('brand-new-visitor'));
    expect(response.statusCode).toBe(200);
    expect(response.json<Evaluation[]>()).toHaveLength(Object.keys(production.flags).length);
  });

  it('uses the target an SDK registered at /client/auth', async () => {
    await authenticate(t.app, PRODUCTION_CLIENT_SDK_KEY, {
      identifier: 'registered-de',
      attributes: { country: 'de' },
    });
    const response = await get(`${base('registered-de')}/banner-text`);
    expect(response.json<Evaluation>().value).toBe('Willkommen!');
  });

  it('404s an unknown flag', async () => {
    const response = await get(`${base('alice')}/no-such-flag`);
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('401s a token for another environment', async () => {
    const response = await get(`/client/env/${STAGING_ENV_UUID}/target/alice/evaluations`);
    expect(response.statusCode).toBe(401);
  });

  it('evaluates anew after the flag changed (memoised answers are per config version)', async () => {
    const target = { 'harness-target': headerFor({ identifier: 'memo-user', name: 'Memo' }) };
    const before = (await get(base('memo-user'), target)).json<Evaluation[]>();
    expect(before.find((e) => e.flag === 'legacy-reports')?.value).toBe('false');
    const flags = (await get(`/client/env/${PRODUCTION_ENV_UUID}/feature-configs`)).json<
      FeatureConfig[]
    >();
    const legacy = flags.find((f) => f.feature === 'legacy-reports') as FeatureConfig;
    await new OfflineConfigEditor(t.app).upsertFlag(PRODUCTION_ENV_UUID, {
      ...legacy,
      state: 'on',
      defaultServe: { variation: 'true' },
      version: (legacy.version ?? 0) + 1,
    });
    const after = (await get(base('memo-user'), target)).json<Evaluation[]>();
    expect(after.find((e) => e.flag === 'legacy-reports')?.value).toBe('true');
  });
});

describe('GET …/evaluations with JSON_EVALUATION_DOUBLE_ENCODE=true (Go proxy emulation)', () => {
  it('JSON-encodes json-kind values a second time', async () => {
    const t = await createTestApp({ JSON_EVALUATION_DOUBLE_ENCODE: 'true' });
    try {
      const token = await authenticate(t.app, PRODUCTION_CLIENT_SDK_KEY);
      const response = await t.app.inject({
        url: `/client/env/${PRODUCTION_ENV_UUID}/target/erin/evaluations/theme-config`,
        headers: bearer(token),
      });
      expect(typeof JSON.parse(response.json<Evaluation>().value)).toBe('string');
    } finally {
      await t.close();
    }
  });
});
