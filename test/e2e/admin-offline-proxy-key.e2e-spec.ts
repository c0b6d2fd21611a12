import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { PRODUCTION_ENV_UUID } from '../support/example-config.js';
import { environmentSeed } from '../support/upstream-emulator/fixtures.js';
import { UpstreamEmulator } from '../support/upstream-emulator/upstream-emulator.js';

const ADMIN_TOKEN = 'offline-admin-token-of-32-characters';

/**
 * The mode, not whether PROXY_KEY is set, decides what the Admin API manages: offline, a
 * PROXY_KEY that is set is used by nothing, so rotating it would change nothing and is refused,
 * while the relay stays the authority for its SDK keys.
 */
describe('Admin API: offline with PROXY_KEY set', () => {
  let emulator: UpstreamEmulator;
  let t: TestApp;

  const admin = (path: string, method: 'GET' | 'POST' | 'PUT', body?: unknown) =>
    t.app.inject({
      method,
      url: `/admin/v1/${path}`,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });

  beforeAll(async () => {
    emulator = new UpstreamEmulator({ seed: { environments: [environmentSeed({})] } });
    await emulator.start();
    t = await createTestApp(
      {
        OFFLINE: 'true',
        PROXY_KEY: emulator.proxyKeyOf('relay-proxy'),
        ADMIN_API_TOKEN: ADMIN_TOKEN,
        ADMIN_SERVICE: emulator.adminUrl,
        ADMIN_SERVICE_TOKEN: emulator.adminApiKey,
        PROXY_KEY_IDENTIFIER: 'relay-proxy',
        ACCOUNT_IDENTIFIER: emulator.account,
      },
      { inMemory: true },
    );
  });
  afterAll(async () => {
    await t.close();
    await emulator.stop();
  });

  it('refuses a proxy-key rotation with a 409 saying it runs offline; Harness is not asked', async () => {
    const response = await admin('proxy-key/rotate', 'POST', { gracePeriod: '1h' });
    expect(response.statusCode).toBe(409);
    const body = response.json<{ code: string; message: string }>();
    expect(body.message).toContain('offline');
    expect(body.message).toContain('no proxy key is in service');
    expect(emulator.requests()).toEqual([]);
  });

  it('refuses to switch to another proxy key the same way', async () => {
    const response = await admin('proxy-key', 'PUT', { key: 'another-proxy-key' });
    expect(response.statusCode).toBe(409);
    expect(response.json<{ message: string }>().message).toContain('offline');
    expect(emulator.requests()).toEqual([]);
  });

  it('lists no proxy key in service', async () => {
    const response = await admin('keys', 'GET');
    expect(response.statusCode).toBe(200);
    expect(response.json<{ proxyKey: unknown }>().proxyKey).toBeNull();
  });

  it('still manages SDK keys, the relay being their authority offline', async () => {
    const response = await admin(`environments/${PRODUCTION_ENV_UUID}/sdk-keys`, 'POST', {
      kind: 'server',
    });
    expect(response.statusCode).toBe(201);
  });
});
