/**
 * ff-relay connects to Redis deployments as the docs say: a password (`REDIS_PASSWORD`), an ACL
 * user (`REDIS_USERNAME` + `REDIS_PASSWORD`), a DB (`REDIS_DB`, overridden by `/db` in the URL)
 * and TLS (`rediss://host:port`, the CA trusted through Node's `NODE_EXTRA_CA_CERTS`). Each case
 * runs against a redis-server of its own, and a separate plain client checks where the data went.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis, type RedisOptions } from 'ioredis';
import { CACHE_KEYS } from '../../src/cache/cache-keys.js';
import { RedisCacheStore } from '../../src/cache/redis-cache.store.js';
import { RedisClient } from '../../src/cache/redis/redis.client.js';
import { loadConfig } from '../../src/config/load-config.js';
import { buildProxy, type ProxyProcess, spawnProxy } from '../support/built-proxy.js';
import { makeCertificates } from '../support/certificates.js';
import { EXAMPLE_CONFIG_DIR } from '../support/example-config.js';
import { freePort } from '../support/ports.js';
import { RedisServer } from '../support/redis-server.js';

const KEY = 'redis-connection-test-key';

/** The proxy's own Redis client, as `main.ts` builds it from these env vars, booted. */
async function connect(env: Record<string, string>): Promise<RedisClient> {
  const client = new RedisClient(
    loadConfig({ AUTH_SECRET: 's', REDIS_STARTUP_TIMEOUT: '2s', ...env }),
  );
  try {
    await client.onModuleInit();
  } catch (err) {
    await client.onApplicationShutdown();
    throw err;
  }
  return client;
}

/** Connects like the proxy, writes KEY through the Redis cache store, and disconnects. */
async function writeThroughProxyClient(env: Record<string, string>, value: string): Promise<void> {
  const client = await connect(env);
  try {
    await new RedisCacheStore(client).set([[KEY, value]]);
  } finally {
    await client.onApplicationShutdown();
  }
}

/** Reads `key` with a plain ioredis client of the test's own. */
async function readWithPlainClient(options: RedisOptions, key = KEY): Promise<string | null> {
  const plain = new Redis({ host: '127.0.0.1', maxRetriesPerRequest: 1, ...options });
  try {
    return await plain.get(key);
  } finally {
    plain.disconnect();
  }
}

describe('Redis with a password (requirepass)', () => {
  let redis: RedisServer;

  beforeAll(async () => {
    redis = await RedisServer.start({ args: ['--requirepass', 'secret'] });
  });
  afterAll(() => redis.stop());

  it('connects and writes with REDIS_PASSWORD', async () => {
    await writeThroughProxyClient(
      { REDIS_ADDRESS: `127.0.0.1:${redis.port}`, REDIS_PASSWORD: 'secret' },
      'with-password',
    );
    expect(await readWithPlainClient({ port: redis.port, password: 'secret' })).toBe(
      'with-password',
    );
  });

  it('fails to start with a wrong password, without printing it', async () => {
    const wrong = 'not-the-password-5f3a';
    const boot = connect({ REDIS_ADDRESS: `127.0.0.1:${redis.port}`, REDIS_PASSWORD: wrong });
    const error = await boot.then(
      () => expect.fail('connected with a wrong password'),
      (err: unknown) => err as Error,
    );
    expect(error.message).toContain('failed to connect to redis');
    expect(error.message).toContain('WRONGPASS');
    expect(error.message).not.toContain(wrong);
    expect(error.message).not.toContain('secret');
  });

  it('never logs the password, even at LOG_LEVEL=DEBUG (ioredis errors carry the AUTH command)', async () => {
    await buildProxy();
    const wrong = 'not-the-password-9c1e';
    const proxy = spawnProxy({
      OFFLINE: 'true',
      CONFIG_DIR: EXAMPLE_CONFIG_DIR,
      AUTH_SECRET: 'x',
      LOG_LEVEL: 'DEBUG',
      REDIS_ADDRESS: `127.0.0.1:${redis.port}`,
      REDIS_PASSWORD: wrong,
      REDIS_STARTUP_TIMEOUT: '2s',
      PORT: String(await freePort()),
    });
    expect(await proxy.exited).toBe(1);
    expect(proxy.stdout()).toContain('WRONGPASS');
    expect(`${proxy.stdout()}${proxy.stderr()}`).not.toContain(wrong);
  }, 60_000);
});

describe('Redis with an ACL user', () => {
  let redis: RedisServer;

  beforeAll(async () => {
    redis = await RedisServer.start({
      args: ['--user', 'alice', 'on', '>alicepw', '~*', '&*', '+@all'],
    });
  });
  afterAll(() => redis.stop());

  it('connects and writes as REDIS_USERNAME with REDIS_PASSWORD', async () => {
    await writeThroughProxyClient(
      {
        REDIS_ADDRESS: `127.0.0.1:${redis.port}`,
        REDIS_USERNAME: 'alice',
        REDIS_PASSWORD: 'alicepw',
      },
      'as-alice',
    );
    const alice = { port: redis.port, username: 'alice', password: 'alicepw' };
    expect(await readWithPlainClient(alice)).toBe('as-alice');
  });

  it('fails to start with the wrong password for the user', async () => {
    await expect(
      connect({
        REDIS_ADDRESS: `127.0.0.1:${redis.port}`,
        REDIS_USERNAME: 'alice',
        REDIS_PASSWORD: 'not-alicepw',
      }),
    ).rejects.toThrow(/failed to connect to redis.*WRONGPASS/);
  });
});

describe('Redis DB selection', () => {
  let redis: RedisServer;

  beforeAll(async () => {
    redis = await RedisServer.start();
  });
  afterEach(async () => {
    const admin = new Redis({ host: '127.0.0.1', port: redis.port });
    await admin.flushall().finally(() => admin.disconnect());
  });
  afterAll(() => redis.stop());

  /** Which DBs (0..15) hold KEY. */
  async function dbsHoldingKey(): Promise<number[]> {
    const found: number[] = [];
    for (let db = 0; db < 16; db += 1) {
      if ((await readWithPlainClient({ port: redis.port, db })) !== null) {
        found.push(db);
      }
    }
    return found;
  }

  it('writes into REDIS_DB when the address has no /db', async () => {
    await writeThroughProxyClient({ REDIS_ADDRESS: `127.0.0.1:${redis.port}`, REDIS_DB: '3' }, 'x');
    expect(await dbsHoldingKey()).toEqual([3]);
  });

  it('writes into the /db of a redis:// URL, which takes precedence over REDIS_DB', async () => {
    await writeThroughProxyClient(
      { REDIS_ADDRESS: `redis://127.0.0.1:${redis.port}/5`, REDIS_DB: '3' },
      'x',
    );
    expect(await dbsHoldingKey()).toEqual([5]);
  });
});

/** Resolves once `GET /health` answers 200; fails at once, with its stderr, if the proxy exits. */
async function waitForHealthy(proxy: ProxyProcess, port: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (proxy.child.exitCode !== null) {
      throw new Error(`the proxy exited with ${proxy.child.exitCode}: ${proxy.stderr()}`);
    }
    const response = await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined);
    if (response?.status === 200) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the proxy was not healthy within 20 s: ${proxy.stdout().slice(-2_000)}`);
}

/** The compiled `main.ts` in a process of its own, so NODE_EXTRA_CA_CERTS applies at startup. */
describe('Redis over TLS (rediss://)', () => {
  let certs: string;
  let redis: RedisServer;
  let tlsPort: number;
  let proxy: ProxyProcess | undefined;

  beforeAll(async () => {
    await buildProxy();
    certs = await mkdtemp(join(tmpdir(), 'ff-relay-tls-'));
    await makeCertificates(certs);
    tlsPort = await freePort();
    redis = await RedisServer.start({
      args: [
        '--tls-port',
        String(tlsPort),
        '--tls-cert-file',
        join(certs, 'server.crt'),
        '--tls-key-file',
        join(certs, 'server.key'),
        '--tls-ca-cert-file',
        join(certs, 'ca.crt'),
        '--tls-auth-clients',
        'no',
      ],
    });
  }, 60_000);
  afterEach(async () => {
    proxy?.child.kill('SIGKILL');
    await proxy?.exited;
    proxy = undefined;
  });
  afterAll(async () => {
    await redis?.stop();
    if (certs) {
      await rm(certs, { recursive: true, force: true });
    }
  });

  const env = (extra: Record<string, string>) => ({
    OFFLINE: 'true',
    CONFIG_DIR: EXAMPLE_CONFIG_DIR,
    AUTH_SECRET: 'tls-test-secret',
    REDIS_ADDRESS: `rediss://localhost:${tlsPort}`,
    ...extra,
  });

  it('seeds the offline config into Redis over TLS when the CA is in NODE_EXTRA_CA_CERTS', async () => {
    const port = await freePort();
    proxy = spawnProxy(env({ NODE_EXTRA_CA_CERTS: join(certs, 'ca.crt'), PORT: String(port) }));
    await waitForHealthy(proxy, port);

    const overTls = new Redis({
      host: 'localhost',
      port: tlsPort,
      tls: { ca: await readFile(join(certs, 'ca.crt')), servername: 'localhost' },
      maxRetriesPerRequest: 1,
    });
    try {
      expect(await overTls.exists(CACHE_KEYS.seedMarker)).toBe(1);
    } finally {
      overTls.disconnect();
    }
  });

  it('exits 1 with one clear line when the server certificate is not trusted', async () => {
    proxy = spawnProxy(env({ REDIS_STARTUP_TIMEOUT: '2s', PORT: String(await freePort()) }));
    expect(await proxy.exited).toBe(1);
    expect(proxy.stderr().trim().split('\n')).toEqual([
      expect.stringMatching(/^ff-relay cannot start: failed to connect to redis.*certificate/),
    ]);
  });
});
