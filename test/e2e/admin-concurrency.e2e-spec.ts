import { buildProxy } from '../support/built-proxy.js';
import { createTestApp, TEST_AUTH_SECRET, type TestApp } from '../support/create-test-app.js';
import { EXAMPLE_CONFIG_DIR } from '../support/example-config.js';
import { freePort } from '../support/ports.js';
import { RedisServer } from '../support/redis-server.js';
import { Instance } from '../support/topology.js';

const TOKEN = 'admin-token-for-the-concurrency-tests';

interface Keys {
  authSecret: { fingerprint: string; previous: { fingerprint: string }[] };
}

/**
 * Concurrent SDK-token secret rotations, in one process and across two sharing a Redis (two
 * primaries coexist briefly during a rollout): each answers 200 and none is lost, so every
 * secret handed out still verifies, as the current one or a previous one in its grace.
 */
describe('POST /admin/v1/auth-secret/rotate, concurrently', () => {
  let redis: RedisServer;
  let a: TestApp;
  let b: Instance;

  beforeAll(async () => {
    await buildProxy();
    redis = await RedisServer.start();
    const env = {
      OFFLINE: 'true',
      CONFIG_DIR: EXAMPLE_CONFIG_DIR,
      REDIS_ADDRESS: redis.address,
      ADMIN_API_TOKEN: TOKEN,
    };
    a = await createTestApp(env, { listen: true, keepRedis: true });
    b = new Instance('b', await freePort(), { ...env, AUTH_SECRET: TEST_AUTH_SECRET });
    await b.start();
  }, 60_000);
  afterAll(async () => {
    await a.close();
    await b.kill();
    await redis.stop();
  });

  const rotate = async (url: string | undefined) => {
    const response = await fetch(`${url}/admin/v1/auth-secret/rotate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ gracePeriod: '1h' }),
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { fingerprint: string }).fingerprint;
  };
  const known = async (url: string | undefined) => {
    const response = await fetch(`${url}/admin/v1/keys`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    const { authSecret } = (await response.json()) as Keys;
    return [authSecret.fingerprint, ...authSecret.previous.map((p) => p.fingerprint)];
  };

  it('keeps all ten of ten concurrent rotations on one instance', async () => {
    const rotated = await Promise.all(Array.from({ length: 10 }, () => rotate(a.url)));
    expect(new Set(rotated).size).toBe(10);
    const kept = await known(a.url);
    expect(rotated.filter((print) => !kept.includes(print))).toEqual([]);
    expect(rotated).toContain(kept[0]);
  });

  it('keeps all ten of five and five concurrent rotations on two instances', async () => {
    const rotated = await Promise.all(
      Array.from({ length: 10 }, (_, i) => rotate(i % 2 === 0 ? a.url : b.url)),
    );
    expect(new Set(rotated).size).toBe(10);
    for (const url of [a.url, b.url]) {
      await expect
        .poll(
          async () => {
            const kept = await known(url);
            return rotated.filter((print) => !kept.includes(print));
          },
          { timeout: 20_000 },
        )
        .toEqual([]);
    }
  });
});
