import { CACHE_KEYS } from '../../src/cache/cache-keys.js';
import { CacheStore } from '../../src/cache/cache-store.js';
import { seal } from '../../src/common/sealed-box.js';
import { createTestApp, TEST_AUTH_SECRET, type TestApp } from '../support/create-test-app.js';
import { PRODUCTION_ENV_UUID } from '../support/example-config.js';

const TOKEN = 'admin-token-for-the-grace-period-tests';
const AUTHORIZATION = `Bearer ${TOKEN}`;
const DAY = 24 * 3_600_000;

interface Keys {
  authSecret: { fingerprint: string; previous: { fingerprint: string; validUntil: string }[] };
}

/**
 * Grace periods are bounded (30 days): a huge one is a 400 that names the field and changes
 * nothing, instead of a rotation stored with an end no date can hold, which broke the Admin API
 * for good. A grace past setTimeout's 596 h limit still waits its whole length.
 */
describe('Admin API: grace periods', () => {
  let t: TestApp;
  const start = (keepRedis = false) =>
    createTestApp({ ADMIN_API_TOKEN: TOKEN }, { listen: true, keepRedis });

  beforeEach(async () => {
    t = await start();
  });
  afterEach(() => t.close());

  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${t.url}/admin/v1/${path}`, {
      method,
      headers:
        body === undefined
          ? { authorization: AUTHORIZATION }
          : { authorization: AUTHORIZATION, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const rotate = (gracePeriod: string) => call('POST', 'auth-secret/rotate', { gracePeriod });
  const keys = async () => {
    const response = await call('GET', 'keys');
    expect(response.status).toBe(200);
    return (await response.json()) as Keys;
  };
  const authStatus = async (apiKey: string) =>
    (
      await fetch(`${t.url}/client/auth`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ apiKey }),
      })
    ).status;

  it.each([
    ['9999999999999h', '9999999999999h'],
    ['1 and 400 zeros h', `1${'0'.repeat(400)}h`],
    ['721h', '721h'],
    ['720h1ns', '720h1ns'],
  ])(
    'refuses an SDK-token secret rotation with %s: 400 naming gracePeriod, nothing changed',
    async (_name, gracePeriod) => {
      const before = (await keys()).authSecret;
      const response = await rotate(gracePeriod);
      expect(response.status).toBe(400);
      expect(JSON.stringify(await response.json())).toContain('gracePeriod');
      expect((await keys()).authSecret).toEqual(before);
      expect((await rotate('0s')).status).toBe(200);
    },
  );

  it('accepts the bound, 720h, and shows its end', async () => {
    const before = Date.now();
    const response = await rotate('720h');
    expect(response.status).toBe(200);
    const { previousValidUntil } = (await response.json()) as { previousValidUntil: string };
    const end = Date.parse(previousValidUntil);
    expect(end).toBeGreaterThanOrEqual(before + 30 * DAY);
    expect(end).toBeLessThanOrEqual(Date.now() + 30 * DAY);
    expect((await keys()).authSecret.previous.map((p) => p.validUntil)).toEqual([
      previousValidUntil,
    ]);
  });

  it('serves and rotates again after a restart over a state stored with unbounded ends', async () => {
    // What the unbounded rotations of earlier versions left in Redis: an end centuries away,
    // and `null` (JSON's Infinity).
    const state = {
      current: { secret: 'c'.repeat(64) },
      previous: [
        { secret: 'a'.repeat(64), validUntil: Date.now() + 9_999_999_999_999 * 3_600_000 },
        { secret: 'b'.repeat(64), validUntil: null },
      ],
    };
    await t.app
      .get(CacheStore)
      .set([
        [
          CACHE_KEYS.authSecrets,
          seal(JSON.stringify(state), TEST_AUTH_SECRET, { purpose: 'auth-secrets', epoch: 1 }),
        ],
      ]);
    // As an earlier version left it: no marker, which the restarted relay takes the value from.
    await t.app.get(CacheStore).del([CACHE_KEYS.authSecretsMarker]);
    await t.close();
    t = await start(true);
    const { previous } = (await keys()).authSecret;
    expect(previous).toHaveLength(1);
    expect(Date.parse(previous[0]?.validUntil ?? '')).toBeLessThanOrEqual(Date.now() + 30 * DAY);
    const rotated = await rotate('0s');
    expect(rotated.status).toBe(200);
    expect((await keys()).authSecret.previous).toHaveLength(1);
  });

  it('refuses an SDK-key removal with a grace above 720h', async () => {
    const response = await call(
      'DELETE',
      `environments/${PRODUCTION_ENV_UUID}/sdk-keys/0123456789ab?gracePeriod=721h`,
    );
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toContain('gracePeriod');
  });

  it('keeps an SDK key removed with 600h (past setTimeout’s limit) working, also after a restart', async () => {
    const create = async () =>
      (await (
        await call('POST', `environments/${PRODUCTION_ENV_UUID}/sdk-keys`, { kind: 'server' })
      ).json()) as { key: string; fingerprint: string };
    const long = await create();
    const now = await create();
    const remove = (print: string, grace: string) =>
      call('DELETE', `environments/${PRODUCTION_ENV_UUID}/sdk-keys/${print}?gracePeriod=${grace}`);
    expect((await remove(long.fingerprint, '600h')).status).toBe(204);
    expect((await remove(now.fingerprint, '0s')).status).toBe(204);
    // Timers due together fire in the order they were set: once the later one has ended its
    // key, a 600 h timer that overflowed would have ended the first one already.
    await expect.poll(() => authStatus(now.key), { timeout: 5_000 }).toBe(401);
    expect(await authStatus(long.key)).toBe(200);
    await t.close();
    t = await start(true);
    expect(await authStatus(now.key)).toBe(401);
    expect(await authStatus(long.key)).toBe(200);
  });
});
