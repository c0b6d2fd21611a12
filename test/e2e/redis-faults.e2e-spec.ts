import type { Client } from '@harnessio/ff-nodejs-server-sdk';
import { Redis } from 'ioredis';
import { CACHE_KEYS, sha256Hex } from '../../src/cache/cache-keys.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import {
  EXAMPLE_CONFIG_DIR,
  PRODUCTION_ENV_UUID,
  PRODUCTION_SERVER_SDK_KEY,
} from '../support/example-config.js';
import { nodeSdkClient } from '../support/node-sdk.js';
import { startPrimary, waitForSync } from '../support/primary.js';
import { RedisServer } from '../support/redis-server.js';
import { SteadyReader } from '../support/steady-reader.js';
import { booleanFlag, environmentSeed } from '../support/upstream-emulator/fixtures.js';
import { UpstreamEmulator } from '../support/upstream-emulator/upstream-emulator.js';

/** Short Redis deadlines so a fault is seen in well under a second. */
const FAST_REDIS = { REDIS_READ_TIMEOUT: '500ms', REDIS_DIAL_TIMEOUT: '500ms' };
const TARGET = { identifier: 'steady-user', name: 'Steady User', attributes: { email: 'a@b.c' } };

interface Proxy {
  t: TestApp;
  env: string;
  sdkKey: string;
  /** Changes `dark-mode` at the source (primary mode only). */
  changeFlag?: () => void;
  stop(): Promise<void>;
}

const modes: [string, (redis: RedisServer) => Promise<Proxy>][] = [
  [
    'offline',
    async (redis) => {
      const t = await createTestApp(
        {
          OFFLINE: 'true',
          CONFIG_DIR: EXAMPLE_CONFIG_DIR,
          REDIS_ADDRESS: redis.address,
          ...FAST_REDIS,
        },
        { listen: true, keepRedis: true },
      );
      return {
        t,
        env: PRODUCTION_ENV_UUID,
        sdkKey: PRODUCTION_SERVER_SDK_KEY,
        stop: () => t.close(),
      };
    },
  ],
  [
    'primary',
    async (redis) => {
      const seed = environmentSeed({ featureConfigs: [booleanFlag('dark-mode')] });
      const emulator = new UpstreamEmulator({ seed: { environments: [seed] }, heartbeatMs: 500 });
      await emulator.start();
      const t = await startPrimary(
        emulator,
        { REDIS_ADDRESS: redis.address, ...FAST_REDIS },
        {
          keepRedis: true,
        },
      );
      await waitForSync(t);
      return {
        t,
        env: seed.id,
        sdkKey: seed.apiKeys?.[0] ?? '',
        changeFlag: () => void emulator.toggleFlag(seed.id, 'dark-mode', 'on'),
        stop: async () => {
          await t.close();
          await emulator.stop();
        },
      };
    },
  ],
];

describe.each(modes)('%s mode: SDK reads survive Redis faults', (mode, start) => {
  let redis: RedisServer;
  let proxy: Proxy;
  let reader: SteadyReader;
  let sdk: Client;

  beforeEach(async () => {
    redis = await RedisServer.start();
    proxy = await start(redis);
    sdk = nodeSdkClient(proxy.sdkKey, proxy.t.url ?? '');
    await sdk.waitForInitialization();
    reader = new SteadyReader({
      baseUrl: proxy.t.url ?? '',
      sdkKey: proxy.sdkKey,
      environment: proxy.env,
      target: TARGET,
    });
    await reader.start();
    await reader.covers(6);
  });

  afterEach(async () => {
    await reader.stop();
    sdk.close();
    await proxy.stop();
    await redis.stop();
  });

  async function cacheStatus(): Promise<string> {
    const response = await fetch(`${proxy.t.url}/health`);
    return ((await response.json()) as { cacheStatus: string }).cacheStatus;
  }

  async function cacheGauge(): Promise<string | undefined> {
    const text = await (await fetch(`${proxy.t.url}/metrics`)).text();
    return /^ff_proxy_cache_healthy\{cache="redis"\} (\d)$/m.exec(text)?.[1];
  }

  async function stored(key: string): Promise<boolean> {
    const client = new Redis({ port: redis.port, lazyConnect: true });
    try {
      await client.connect();
      return (await client.exists(key)) === 1;
    } finally {
      client.disconnect();
    }
  }

  /** Logs how many reads a fault window held, for the measured numbers in docs/operations.md. */
  function report(fault: string, since: number): void {
    console.log(
      `${mode}: ${fault}: ${reader.requests - since} reads, ${reader.failures.length} failed`,
    );
  }

  it('Redis killed for 5 s: every read is served, health says so within seconds', async () => {
    const since = reader.requests;
    await redis.kill();
    await expect.poll(cacheStatus, { timeout: 5_000, interval: 100 }).toBe('unhealthy');
    expect(await cacheGauge()).toBe('0');
    // A key memory has never seen cannot be checked: 503 (retry), never 401 (a bad key) or 500.
    const unknown = await fetch(`${proxy.t.url}/client/auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apiKey: 'a-key-nobody-has-seen' }),
    });
    expect(unknown.status).toBe(503);
    expect(await unknown.json()).toMatchObject({ code: 'CACHE_UNAVAILABLE' });
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    await redis.restart();
    await expect.poll(cacheStatus, { timeout: 5_000, interval: 100 }).toBe('healthy');
    expect(await cacheGauge()).toBe('1');
    await reader.covers(6);
    report('Redis killed for 5 s', since);
    expect(reader.failures).toEqual([]);
    expect(await sdk.boolVariation('dark-mode', TARGET, true)).toBe(
      await sdk.boolVariation('dark-mode', TARGET, false),
    );
  });

  it('Redis back empty: re-seeded at once, with no 401 and no empty list in between', async () => {
    const since = reader.requests;
    await redis.restart({ empty: true });
    const restarted = Date.now();
    await expect
      .poll(() => stored(CACHE_KEYS.authKey(sha256Hex(proxy.sdkKey))), {
        timeout: 5_000,
        interval: 50,
      })
      .toBe(true);
    console.log(`${mode}: re-seeded ${Date.now() - restarted} ms after Redis came back empty`);
    expect(await stored(CACHE_KEYS.featureConfigs(proxy.env))).toBe(true);
    expect(await stored(CACHE_KEYS.seedMarker)).toBe(true);
    await reader.covers(40);
    report('Redis back empty', since);
    expect(reader.failures).toEqual([]);
    if (proxy.changeFlag) {
      // The primary is whole again: a change upstream reaches the streaming SDK.
      expect(await sdk.boolVariation('dark-mode', TARGET, true)).toBe(false);
      proxy.changeFlag();
      await expect
        .poll(() => sdk.boolVariation('dark-mode', TARGET, false), { timeout: 10_000 })
        .toBe(true);
    }
  });

  it('Redis hung (SIGSTOP for 8 s): every read is served, none waits out a timeout', async () => {
    const since = reader.requests;
    const paused = Date.now();
    redis.pause();
    try {
      await expect.poll(cacheStatus, { timeout: 5_000, interval: 100 }).toBe('unhealthy');
      console.log(`${mode}: hung Redis reported unhealthy after ${Date.now() - paused} ms`);
      await new Promise((resolve) =>
        setTimeout(resolve, Math.max(0, 8_000 - (Date.now() - paused))),
      );
    } finally {
      redis.resume();
    }
    await expect.poll(cacheStatus, { timeout: 5_000, interval: 100 }).toBe('healthy');
    await reader.covers(6);
    report('Redis hung for 8 s', since);
    expect(reader.failures).toEqual([]);
  });
});
