import {
  buildProxy,
  type ProxyProcess,
  startOfflineProxy,
  stopProxy,
} from '../support/built-proxy.js';
import { PRODUCTION_ENV_UUID, PRODUCTION_SERVER_SDK_KEY } from '../support/example-config.js';

const AUTH_SECRET = 'auth-secret-that-must-not-be-logged';
const ADMIN_TOKEN = 'admin-token-that-must-not-be-logged';

/** Everything a relay logs at DEBUG while SDKs and an operator use it: no secret, anywhere. */
describe('secrets in logs', () => {
  let proxy: ProxyProcess | undefined;

  beforeAll(() => buildProxy(), 60_000);
  afterAll(async () => {
    proxy?.child.kill('SIGKILL');
    await proxy?.exited;
  });

  it('never prints an SDK key, a token, AUTH_SECRET or the admin token at LOG_LEVEL=DEBUG', async () => {
    const started = await startOfflineProxy({
      AUTH_SECRET,
      ADMIN_API_TOKEN: ADMIN_TOKEN,
      LOG_LEVEL: 'DEBUG',
    });
    proxy = started.proxy;
    const { base } = started;
    const auth = await fetch(`${base}/client/auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apiKey: PRODUCTION_SERVER_SDK_KEY, target: { identifier: 'u' } }),
    });
    const { authToken } = (await auth.json()) as { authToken: string };
    await fetch(`${base}/client/env/${PRODUCTION_ENV_UUID}/feature-configs`, {
      headers: { authorization: `Bearer ${authToken}` },
    });
    await fetch(`${base}/client/env/${PRODUCTION_ENV_UUID}/feature-configs`, {
      headers: { authorization: `Bearer ${authToken}x` },
    });
    await fetch(`${base}/client/auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apiKey: `${PRODUCTION_SERVER_SDK_KEY}-wrong` }),
    });
    await fetch(`${base}/admin/v1/keys`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    // Stopped first: lines written after an answer (access lines) are all in once it has ended.
    await stopProxy(proxy);
    const logs = `${proxy.stdout()}${proxy.stderr()}`;
    expect(logs).toContain('"level":"debug"');
    for (const secret of [PRODUCTION_SERVER_SDK_KEY, authToken, AUTH_SECRET, ADMIN_TOKEN]) {
      expect(logs).not.toContain(secret);
    }
  }, 60_000);
});
