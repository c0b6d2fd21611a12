import { buildProxy, type ProxyProcess, spawnProxy } from '../support/built-proxy.js';
import { EXAMPLE_CONFIG_DIR, PRODUCTION_ENV_UUID } from '../support/example-config.js';
import { freePort } from '../support/ports.js';
import { RedisServer } from '../support/redis-server.js';

/** The real `main.ts` in a process of its own, booted while Redis is not there. */
describe('boot while Redis is down', () => {
  let redis: RedisServer;
  let proxy: ProxyProcess | undefined;

  beforeAll(() => buildProxy(), 60_000);
  beforeEach(async () => {
    redis = await RedisServer.reserve();
  });
  afterEach(async () => {
    proxy?.child.kill('SIGKILL');
    await proxy?.exited;
    await redis.stop();
  });

  const env = (extra: Record<string, string>) => ({
    OFFLINE: 'true',
    CONFIG_DIR: EXAMPLE_CONFIG_DIR,
    AUTH_SECRET: 'boot-test-secret',
    REDIS_ADDRESS: `127.0.0.1:${redis.port}`,
    REDIS_DIAL_TIMEOUT: '200ms',
    ...extra,
  });

  it('waits, saying what for, then exits 1 with one clear line and no stack trace', async () => {
    const started = Date.now();
    proxy = spawnProxy(env({ REDIS_STARTUP_TIMEOUT: '3s', PORT: String(await freePort()) }));
    expect(await proxy.exited).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(3_000);
    const stderr = proxy.stderr().trim().split('\n');
    expect(stderr).toEqual([
      expect.stringMatching(
        new RegExp(
          `^ff-relay cannot start: failed to connect to redis at 127.0.0.1:${redis.port} within 3000 ms`,
        ),
      ),
    ]);
    expect(proxy.stdout()).toContain('waiting for redis to answer');
    expect(proxy.stdout()).not.toMatch(/^\s+at /m);
  });

  it('serves once Redis comes up within the wait', async () => {
    const port = await freePort();
    proxy = spawnProxy(env({ PORT: String(port) }));
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await redis.launch();
    await expect
      .poll(
        async () => {
          const response = await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined);
          return response?.status;
        },
        { timeout: 20_000, interval: 200 },
      )
      .toBe(200);
    const auth = await fetch(`http://127.0.0.1:${port}/client/auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apiKey: 'prod-server-0000-example-key' }),
    });
    const { authToken } = (await auth.json()) as { authToken: string };
    const flags = await fetch(
      `http://127.0.0.1:${port}/client/env/${PRODUCTION_ENV_UUID}/feature-configs`,
      {
        headers: { authorization: `Bearer ${authToken}` },
      },
    );
    expect(((await flags.json()) as unknown[]).length).toBeGreaterThan(0);
  });
});
