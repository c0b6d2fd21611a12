/**
 * The Redis settings of the Harness V2 docs change what the docs say they change, each seen
 * against a redis-server of the test's own: read timeout (a hung server), dial timeout (a port
 * whose accept queue is full, so connects hang), write timeout (a hung server that stops taking
 * bytes), retries and their backoff (a server killed with a command in flight), the connection
 * limit of the pool settings, and the connection lifetime.
 */
import { connect, type Socket } from 'node:net';
import { Redis } from 'ioredis';
import { RedisStreams, type StreamSubscription } from '../../src/cache/streams/redis-streams.js';
import { RedisClient } from '../../src/cache/redis/redis.client.js';
import { StartupError } from '../../src/common/errors/startup-error.js';
import { AppConfig, type AppConfigValues, type RedisConfig } from '../../src/config/app-config.js';
import { loadConfig } from '../../src/config/load-config.js';
import { RedisServer } from '../support/redis-server.js';

const clients: RedisClient[] = [];

/** The proxy's Redis client built from these env vars, as main.ts builds it (not yet booted). */
function client(server: RedisServer, env: Record<string, string> = {}): RedisClient {
  const made = new RedisClient(
    loadConfig({ REDIS_ADDRESS: server.address, AUTH_SECRET: 's', ...env }),
  );
  clients.push(made);
  return made;
}

async function booted(server: RedisServer, env: Record<string, string> = {}) {
  const made = client(server, env);
  await made.onModuleInit();
  return made;
}

/** How a promise ended, as text, so two of them can be raced. */
function outcome(name: string, promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => `${name}: answered`,
    (err: Error) => `${name}: ${err.message}`,
  );
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.onApplicationShutdown()));
});

describe('Redis settings against a server of their own', () => {
  let redis: RedisServer;

  beforeEach(async () => {
    redis = await RedisServer.start();
  });
  afterEach(() => redis.stop());

  it('REDIS_READ_TIMEOUT_SECONDS: a command to a hung server fails after it, not after 3 s', async () => {
    const slow = await booted(redis, { REDIS_READ_TIMEOUT_SECONDS: '6' });
    const fast = await booted(redis, { REDIS_READ_TIMEOUT_SECONDS: '1' });
    redis.pause();
    // Issued first, with the longer limit: it must still lose the race.
    const slowGet = outcome('slow', slow.connection.get('k'));
    const fastGet = outcome('fast', fast.connection.get('k'));
    expect(await Promise.race([slowGet, fastGet])).toBe('fast: Command timed out');
    redis.resume();
    expect(await slowGet).toBe('slow: answered');
  });

  it('REDIS_MAX_RETRIES and the backoff: a command in flight fails after that many reconnects, spaced as set', async () => {
    const tuned = await booted(redis, {
      REDIS_MAX_RETRIES: '2',
      REDIS_MIN_RETRY_BACKOFF_MILLIS: '20',
      REDIS_MAX_RETRY_BACKOFF_MILLIS: '70',
      REDIS_READ_TIMEOUT_SECONDS: '30',
    });
    expect(await reconnectsUntilFailure(tuned, redis)).toEqual({
      failure: 'Reached the max retries per request limit (which is 2).',
      delays: [20, 40, 70],
    });
  });

  it('defaults: 3 retries, spaced from 8 ms doubling up to 512 ms', async () => {
    const defaults = await booted(redis, { REDIS_READ_TIMEOUT_SECONDS: '30' });
    expect(await reconnectsUntilFailure(defaults, redis)).toEqual({
      failure: 'Reached the max retries per request limit (which is 3).',
      delays: [8, 16, 32, 64],
    });
  });

  it('REDIS_WRITE_TIMEOUT_SECONDS: a connection that cannot hand its bytes to a hung server is closed', async () => {
    const writer = await booted(redis, {
      REDIS_WRITE_TIMEOUT_SECONDS: '1',
      REDIS_READ_TIMEOUT_SECONDS: '600',
      REDIS_MAX_RETRIES: '0',
    });
    const errors: string[] = [];
    writer.connection.on('error', (err: Error & { code?: string }) => errors.push(err.code ?? ''));
    redis.pause();
    // More than the socket buffers of both ends hold, so the write cannot complete.
    const set = outcome('set', writer.connection.set('big', 'x'.repeat(32 * 1024 * 1024)));
    expect(await set).toContain('set: Reached the max retries per request limit (which is 0).');
    expect(errors).toContain('EWRITETIMEOUT');
  });

  it('the pool settings cap the connections: one for commands, one per stream reader', async () => {
    const capped = await booted(redis, { REDIS_POOL_SIZE_LITERAL: '2' });
    const reader = capped.dedicated(10_000);
    expect(() => capped.dedicated(10_000)).toThrow(StartupError);
    expect(() => capped.dedicated(10_000)).toThrow(
      'REDIS_POOL_SIZE_LITERAL allows 2 connection(s) to each redis node; this process needs 3',
    );
    await reader.ping();
    expect((await clientNames(redis)).sort()).toEqual(['ff-relay', 'ff-relay-reader']);
    reader.disconnect();
    const active = await booted(redis, { REDIS_MAX_ACTIVE_CONNS: '1' });
    expect(() => active.dedicated(10_000)).toThrow('REDIS_MAX_ACTIVE_CONNS allows 1 connection(s)');
  });
});

describe('REDIS_CON_MAX_LIFETIME_MINUTES against a server of its own', () => {
  let redis: RedisServer;
  let subscription: StreamSubscription | undefined;

  beforeEach(async () => {
    redis = await RedisServer.start();
  });
  afterEach(async () => {
    await subscription?.close();
    await redis.stop();
  });

  it('replaces each connection once it is that old, with no failed command, lost link or lost message', async () => {
    // Minutes are too long for a test: the same config with the lifetime in milliseconds.
    const config = loadConfig({ REDIS_ADDRESS: redis.address, AUTH_SECRET: 's' });
    const values: AppConfigValues = config;
    const redisConfig = config.redis as RedisConfig;
    const aging = new RedisClient(
      new AppConfig({ ...values, redis: { ...redisConfig, connMaxLifetimeMs: 1_500 } }),
    );
    clients.push(aging);
    await aging.onModuleInit();
    const links: string[] = [];
    aging.onLinkChange((state) => links.push(state));
    const streams = new RedisStreams(aging);
    const seen: string[] = [];
    subscription = streams.subscribe('s', '0-0', (m) => {
      seen.push(m.json);
    });
    await expect.poll(async () => (await clientIds(redis)).length).toBe(2);
    const firstIds = await clientIds(redis);
    let failures = 0;
    let n = 0;
    const writes = setInterval(() => {
      n += 1;
      streams.append('s', String(n), 100).catch(() => (failures += 1));
    }, 50);
    try {
      await expect
        .poll(async () => (await clientIds(redis)).filter((id) => firstIds.includes(id)), {
          timeout: 20_000,
        })
        .toEqual([]);
    } finally {
      clearInterval(writes);
    }
    const written = n;
    await expect.poll(() => seen.length, { timeout: 15_000 }).toBe(written);
    expect(seen).toEqual(Array.from({ length: written }, (_, i) => String(i + 1)));
    expect({ failures, links }).toEqual({ failures: 0, links: [] });
  });
});

describe('REDIS_DIAL_TIMEOUT_SECONDS against a port that accepts nothing', () => {
  let redis: RedisServer;
  const fillers: Socket[] = [];

  beforeAll(async () => {
    // A paused server with a one-slot accept queue: once connects fill it, SYNs are dropped.
    redis = await RedisServer.start({ args: ['--tcp-backlog', '1'] });
    redis.pause();
    // Loopback connects complete in microseconds; one that does not within a second hangs.
    for (let connected = true; connected;) {
      const socket = connect(redis.port, '127.0.0.1').on('error', () => undefined);
      fillers.push(socket);
      connected = await new Promise<boolean>((resolve) => {
        socket.once('connect', () => resolve(true));
        setTimeout(() => resolve(false), 1_000);
      });
    }
  });
  afterAll(async () => {
    fillers.forEach((socket) => socket.destroy());
    await redis.stop();
  });

  it('gives up on a connection attempt after it, not after 5 s', async () => {
    const timedOut: string[] = [];
    for (const [name, seconds] of [
      ['slow', '4'],
      ['fast', '1'],
    ] as const) {
      const dialing = client(redis, { REDIS_DIAL_TIMEOUT_SECONDS: seconds });
      dialing.connection.on('error', (err: Error & { code?: string }) => {
        if (err.code === 'ETIMEDOUT') {
          timedOut.push(name);
        }
      });
    }
    await expect.poll(() => timedOut.length).toBeGreaterThan(0);
    expect(timedOut[0]).toBe('fast');
  });
});

/**
 * Hangs the server with a GET in flight, kills it, and records the reconnect delays until the
 * GET fails.
 */
async function reconnectsUntilFailure(
  redisClient: RedisClient,
  server: RedisServer,
): Promise<{ failure: string; delays: number[] }> {
  const delays: number[] = [];
  redisClient.connection.on('reconnecting', (delay: number) => delays.push(delay));
  server.pause();
  const get = redisClient.connection.get('k').then(
    () => 'answered',
    (err: Error) => err.message.replace(/ Refer to .*$/, ''),
  );
  await server.kill({ asIs: true });
  const failure = await get;
  return { failure, delays: [...delays] };
}

async function clientList(server: RedisServer): Promise<{ id: string; name: string }[]> {
  const admin = new Redis({ port: server.port, maxRetriesPerRequest: 1 });
  try {
    const list = (await admin.client('LIST')) as string;
    return list
      .trim()
      .split('\n')
      .map((line) => ({
        id: /\bid=(\d+)/.exec(line)?.[1] ?? '',
        name: /\bname=(\S*)/.exec(line)?.[1] ?? '',
      }))
      .filter((c) => c.name.startsWith('ff-relay'));
  } finally {
    admin.disconnect();
  }
}

async function clientNames(server: RedisServer): Promise<string[]> {
  return (await clientList(server)).map((c) => c.name);
}

async function clientIds(server: RedisServer): Promise<string[]> {
  return (await clientList(server)).map((c) => c.id);
}
