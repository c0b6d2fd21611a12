import { buildProxy } from '../support/built-proxy.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { EXAMPLE_CONFIG_DIR, PRODUCTION_SERVER_SDK_KEY } from '../support/example-config.js';
import { freePort } from '../support/ports.js';
import { Instance } from '../support/topology.js';

const TOKEN = 'admin-token-for-the-trusted-proxies';

/** `/client/auth` as an SDK behind a proxy: `forwardedFor` is the X-Forwarded-For it arrives with. */
async function auth(t: TestApp, forwardedFor?: string, remoteAddress = '127.0.0.1') {
  const response = await t.app.inject({
    method: 'POST',
    url: '/client/auth',
    headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {},
    payload: { apiKey: PRODUCTION_SERVER_SDK_KEY },
    remoteAddress,
  });
  return response.statusCode;
}

async function authTimes(t: TestApp, times: number, forwardedFor?: string, remote?: string) {
  const statuses = [];
  for (let i = 0; i < times; i++) {
    statuses.push(await auth(t, forwardedFor, remote));
  }
  return statuses;
}

/**
 * Behind an ingress every client arrives from the ingress's address. TRUSTED_PROXIES names the
 * proxies whose X-Forwarded-For is believed, so each client gets its own rate-limit buckets and
 * its own address in the audit and access logs; anyone else's X-Forwarded-For is ignored.
 */
describe('TRUSTED_PROXIES', () => {
  const start = (env: Record<string, string>) =>
    createTestApp({ AUTH_RATE_LIMIT: '3', ADMIN_API_TOKEN: TOKEN, ...env }, { inMemory: true });

  it('unset: X-Forwarded-For is ignored, clients behind one proxy share its buckets', async () => {
    const t = await start({});
    try {
      expect(await authTimes(t, 3, '203.0.113.1')).toEqual([200, 200, 200]);
      expect(await auth(t, '203.0.113.2')).toBe(429);
    } finally {
      await t.close();
    }
  });

  it('an address list: each client behind a trusted proxy has its own auth bucket', async () => {
    const t = await start({ TRUSTED_PROXIES: '127.0.0.1, 10.0.0.0/8' });
    try {
      expect(await authTimes(t, 3, '203.0.113.1')).toEqual([200, 200, 200]);
      expect(await auth(t, '203.0.113.1')).toBe(429);
      // A client that forges an earlier hop is still the address the proxy saw.
      expect(await auth(t, '6.6.6.6, 203.0.113.1')).toBe(429);
      expect(await auth(t, '203.0.113.2')).toBe(200);
      // Two trusted hops (10.0.0.0/8, then 127.0.0.1): the client is the first untrusted one.
      expect(await auth(t, '203.0.113.3, 10.1.2.3')).toBe(200);
    } finally {
      await t.close();
    }
  });

  it('ignores the X-Forwarded-For of a source it does not trust (a spoof)', async () => {
    const t = await start({ TRUSTED_PROXIES: '10.0.0.0/8' });
    try {
      const spoofer = '198.51.100.9';
      expect(await authTimes(t, 3, '203.0.113.10', spoofer)).toEqual([200, 200, 200]);
      expect(await auth(t, '203.0.113.11', spoofer)).toBe(429);
      expect(await auth(t, undefined, '198.51.100.10')).toBe(200);
    } finally {
      await t.close();
    }
  });

  it('a hop count: the address the nearest proxy saw, whatever came before it', async () => {
    const t = await start({ TRUSTED_PROXIES: '1' });
    try {
      expect(await authTimes(t, 3, '6.6.6.6, 203.0.113.20')).toEqual([200, 200, 200]);
      expect(await auth(t, '7.7.7.7, 203.0.113.20')).toBe(429);
      expect(await auth(t, '203.0.113.21')).toBe(200);
    } finally {
      await t.close();
    }
  });

  it('limits wrong admin tokens per client behind the proxy', async () => {
    const t = await start({ TRUSTED_PROXIES: '127.0.0.1' });
    try {
      const keys = (forwardedFor: string, token: string) =>
        t.app.inject({
          method: 'GET',
          url: '/admin/v1/keys',
          headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': forwardedFor },
        });
      for (let i = 0; i < 10; i++) {
        expect((await keys('203.0.113.30', 'wrong')).statusCode).toBe(401);
      }
      expect((await keys('203.0.113.30', TOKEN)).statusCode).toBe(429);
      expect((await keys('203.0.113.31', TOKEN)).statusCode).toBe(200);
    } finally {
      await t.close();
    }
  });
});

describe('TRUSTED_PROXIES in the logs', () => {
  let relay: Instance;

  beforeAll(async () => {
    await buildProxy();
    relay = new Instance('relay', await freePort(), {
      OFFLINE: 'true',
      CONFIG_DIR: EXAMPLE_CONFIG_DIR,
      AUTH_SECRET: 'trusted-proxies-secret',
      ADMIN_API_TOKEN: TOKEN,
      TRUSTED_PROXIES: '127.0.0.1',
    });
    await relay.start();
  }, 60_000);
  afterAll(() => relay.kill());

  it('names the client behind the proxy in the audit line and the access line', async () => {
    const forwarded = { 'x-forwarded-for': '203.0.113.77' };
    await fetch(`${relay.url}/admin/v1/keys`, {
      headers: { ...forwarded, authorization: 'Bearer wrong' },
    });
    await fetch(`${relay.url}/client/auth`, {
      method: 'POST',
      headers: { ...forwarded, 'content-type': 'application/json' },
      body: JSON.stringify({ apiKey: PRODUCTION_SERVER_SDK_KEY }),
    });
    await expect
      .poll(() => relay.output(), { timeout: 5_000 })
      .toMatch(
        /"action":"list-keys","outcome":"unauthorised","status":401,"client":"203\.0\.113\.77"/,
      );
    await expect
      .poll(() => relay.output(), { timeout: 5_000 })
      .toMatch(/"route":"\/client\/auth".*"ip":"203\.0\.113\.77"/);
  });
});
