import { Redis } from 'ioredis';
import { CACHE_KEYS } from '../../src/cache/cache-keys.js';
import { buildProxy, type ProxyProcess, spawnProxy } from '../support/built-proxy.js';
import { EXAMPLE_CONFIG_DIR, PRODUCTION_SERVER_SDK_KEY } from '../support/example-config.js';
import { freePort } from '../support/ports.js';
import { RedisServer } from '../support/redis-server.js';
import { Instance } from '../support/topology.js';
import { booleanFlag, environmentSeed } from '../support/upstream-emulator/fixtures.js';
import { UpstreamEmulator } from '../support/upstream-emulator/upstream-emulator.js';

const AUTH_SECRET = 'malformed-state-secret';
/** A line of a raw stack trace, as an uncaught error prints it (not one inside a JSON log). */
const STACK_LINE = /^\s+at /m;

type Plant = (redis: Redis) => Promise<unknown>;
const asHash =
  (key: string): Plant =>
  (redis) =>
    redis.hset(key, 'not', 'ours');
const asText =
  (key: string, value: string): Plant =>
  (redis) =>
    redis.set(key, value);

/**
 * What ff-relay keeps of its own in Redis, malformed by whoever can write there, at boot: never
 * a crash with a stack. Each value either serves (ignoring and replacing the bad value, with one
 * warning) or stops the boot with exit 1 and one line, as docs/sealed-state.md tabulates.
 */
describe('Boot with malformed ff-relay state in Redis', () => {
  let redis: RedisServer;
  let db = 0;
  const started: (Instance | ProxyProcess)[] = [];

  beforeAll(async () => {
    await buildProxy();
    redis = await RedisServer.start();
  }, 60_000);
  afterAll(async () => {
    for (const one of started) {
      if (one instanceof Instance) {
        await one.kill();
      } else {
        one.child.kill('SIGKILL');
        await one.exited;
      }
    }
    await redis.stop();
  });

  /** A Redis DB of its own, with `plants` applied. */
  async function database(plants: Plant[]): Promise<string> {
    db += 1;
    const client = new Redis({ port: redis.port, db });
    try {
      for (const plant of plants) {
        await plant(client);
      }
    } finally {
      client.disconnect();
    }
    return `${redis.address}/${db}`;
  }

  const offline = (address: string) => ({
    OFFLINE: 'true',
    CONFIG_DIR: EXAMPLE_CONFIG_DIR,
    REDIS_ADDRESS: address,
    AUTH_SECRET,
  });

  it.each([
    ['not JSON', asText(CACHE_KEYS.sdkKeyLedger, '{"created": [')],
    ['of another shape', asText(CACHE_KEYS.sdkKeyLedger, '{"created":5,"removed":{}}')],
    [
      'with a bad entry',
      asText(CACHE_KEYS.sdkKeyLedger, '{"created":[{"hash":"x"}],"removed":[]}'),
    ],
    ['of another Redis type', asHash(CACHE_KEYS.sdkKeyLedger)],
  ])('an SDK-key ledger %s stops an offline boot: exit 1, one line', async (_case, plant) => {
    const proxy = spawnProxy({
      ...offline(await database([plant])),
      PORT: String(await freePort()),
    });
    started.push(proxy);
    expect(await proxy.exited).toBe(1);
    expect(proxy.stderr().trim().split('\n')).toEqual([
      expect.stringMatching(/^ff-relay cannot start: the SDK-key ledger in redis .* is malformed/),
    ]);
    expect(`${proxy.stdout()}${proxy.stderr()}`).not.toMatch(STACK_LINE);
  });

  it('serves an offline relay over malformed sealed state and markers', async () => {
    const address = await database([
      asText(CACHE_KEYS.authSecrets, 'v2.1.garbage'),
      asText(CACHE_KEYS.authSecretsMarker, '{"epoch":"x"}'),
      asHash(CACHE_KEYS.seedMarker),
    ]);
    const relay = new Instance('offline', await freePort(), offline(address));
    started.push(relay);
    await relay.start();
    const auth = await fetch(`${relay.url}/client/auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apiKey: PRODUCTION_SERVER_SDK_KEY }),
    });
    expect(auth.status).toBe(200);
    expect(relay.output()).toContain('cannot be opened with the configured secret: ignored');
    expect(relay.output()).not.toMatch(STACK_LINE);
  });

  it('serves a primary and a replica over malformed sealed state and positions', async () => {
    const seed = environmentSeed({ featureConfigs: [booleanFlag('dark-mode')] });
    const emulator = new UpstreamEmulator({ seed: { environments: [seed] } });
    await emulator.start();
    try {
      const address = await database([
        asText(CACHE_KEYS.proxyKey, 'v1.a.b.c.d'),
        asHash(CACHE_KEYS.proxyKeyMarker),
        asText(CACHE_KEYS.sdkMetricsPosition, 'not-a-stream-id'),
        asHash(CACHE_KEYS.authSecrets),
        asHash(CACHE_KEYS.seedMarker),
      ]);
      const common = { REDIS_ADDRESS: address, AUTH_SECRET };
      const primary = new Instance('primary', await freePort(), {
        ...common,
        PROXY_KEY: emulator.proxyKey,
        CLIENT_SERVICE: emulator.url,
        METRIC_SERVICE: emulator.metricsUrl,
      });
      const replica = new Instance('replica', await freePort(), {
        ...common,
        READ_REPLICA: 'true',
      });
      started.push(primary, replica);
      await primary.start();
      await replica.start();
      expect(primary.output()).toContain('stored stream position is not a stream id: replaced');
      for (const instance of [primary, replica]) {
        expect(instance.output()).not.toMatch(STACK_LINE);
      }
    } finally {
      await emulator.stop();
    }
  });
});
