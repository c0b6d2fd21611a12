import { CACHE_KEYS, sha256Hex } from '../../src/cache/cache-keys.js';
import { CacheStore } from '../../src/cache/cache-store.js';
import { ConfigReader } from '../../src/cache/config-reader.service.js';
import { ConfigWriter } from '../../src/cache/config-writer.service.js';
import { MemoryCacheStore } from '../../src/cache/memory-cache.store.js';
import { MemoryMirror } from '../../src/cache/memory-mirror.js';
import { MirroredCacheStore } from '../../src/cache/mirrored-cache.store.js';
import { RedisCacheStore } from '../../src/cache/redis-cache.store.js';
import { RedisClient } from '../../src/cache/redis/redis.client.js';
import { CacheUnavailableError } from '../../src/common/errors/proxy-error.js';
import { loadConfig } from '../../src/config/load-config.js';
import type { FeatureConfig } from '../../src/model/feature-config.js';
import { booleanFlag } from '../support/flags.js';
import { RedisCluster } from '../support/redis-cluster.js';
import { flushTestDb, testRedisAddress } from '../support/redis.js';

const ENV = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';

function flag(feature: string, version = 1): FeatureConfig {
  return booleanFlag(feature, { version });
}

interface Backend {
  store: CacheStore;
  close(): Promise<void>;
}

const backends: [string, () => Promise<Backend>][] = [
  ['in-memory', () => Promise.resolve({ store: new MemoryCacheStore(), close: async () => {} })],
  [
    'Redis',
    async () => {
      await flushTestDb();
      const client = new RedisClient(
        loadConfig({ REDIS_ADDRESS: testRedisAddress(), AUTH_SECRET: 's' }),
      );
      await client.onModuleInit();
      return { store: new RedisCacheStore(client), close: () => client.onApplicationShutdown() };
    },
  ],
  [
    'Redis Cluster',
    async () => {
      const cluster = await sharedCluster();
      await cluster.flushAll();
      const client = new RedisClient(
        loadConfig({ REDIS_ADDRESS: cluster.address, AUTH_SECRET: 's' }),
      );
      await client.onModuleInit();
      return { store: new RedisCacheStore(client), close: () => client.onApplicationShutdown() };
    },
  ],
];

/** One cluster for the whole file, started by the first test that needs it. */
let cluster: Promise<RedisCluster> | undefined;
function sharedCluster(): Promise<RedisCluster> {
  cluster ??= RedisCluster.start();
  return cluster;
}
afterAll(async () => {
  await (await cluster)?.stop();
});

describe.each(backends)('CacheStore contract: %s', (_name, make) => {
  let backend: Backend;
  let store: CacheStore;
  beforeEach(async () => {
    backend = await make();
    store = backend.store;
  });
  afterEach(() => backend.close());

  it('gets what was set, null for missing keys, in mget order', async () => {
    await store.set([
      ['a', '1'],
      ['b', '2'],
    ]);
    expect(await store.get('a')).toBe('1');
    expect(await store.get('missing')).toBeNull();
    expect(await store.mget(['b', 'missing', 'a'])).toEqual(['2', null, '1']);
  });

  it('applies writes in order, so the last write of a key wins', async () => {
    await store.set([
      ['k', 'first'],
      ['k', 'second'],
    ]);
    expect(await store.get('k')).toBe('second');
  });

  it('deletes keys and tolerates missing ones', async () => {
    await store.set([['gone', 'x']]);
    await store.del(['gone', 'never-there']);
    expect(await store.get('gone')).toBeNull();
  });

  it('scans by substring without treating glob characters as wildcards', async () => {
    await store.set([
      [`env-${ENV}-feature-configs`, '[]'],
      [`env-${ENV}-segments`, '[]'],
      ['env-other-segments', '[]'],
      ['we*ird', '1'],
    ]);
    expect((await store.scan(ENV)).sort()).toEqual(
      [`env-${ENV}-feature-configs`, `env-${ENV}-segments`].sort(),
    );
    expect(await store.scan('e*i')).toEqual(['we*ird']);
  });

  it('compares and sets: only over the value expected, so one of concurrent writers wins', async () => {
    expect(await store.compareAndSet('cas', 'something', 'v1')).toBe(false);
    expect(await store.get('cas')).toBeNull();
    expect(await store.compareAndSet('cas', null, 'v1')).toBe(true);
    expect(await store.compareAndSet('cas', null, 'v2')).toBe(false);
    const racers = await Promise.all(
      ['a', 'b', 'c', 'd'].map((value) => store.compareAndSet('cas', 'v1', value)),
    );
    expect(racers.filter(Boolean)).toHaveLength(1);
    expect(['a', 'b', 'c', 'd']).toContain(await store.get('cas'));
  });

  it('answers ping', async () => {
    await expect(store.ping()).resolves.toBeUndefined();
  });

  describe('ConfigWriter and ConfigReader on this store', () => {
    it('writes the Harness layout: list, -latest hash of its bytes, per-item keys', async () => {
      await readerAndWriter(store).writer.writeFlags(ENV, [flag('a'), flag('b')]);
      const list = await store.get(CACHE_KEYS.featureConfigs(ENV));
      expect(JSON.parse(list ?? '[]')).toHaveLength(2);
      expect(await store.get(CACHE_KEYS.latest(CACHE_KEYS.featureConfigs(ENV)))).toBe(
        JSON.stringify(sha256Hex(list ?? '')),
      );
      expect(JSON.parse((await store.get(CACHE_KEYS.featureConfig(ENV, 'b'))) ?? '{}')).toEqual(
        expect.objectContaining({ feature: 'b', variationToTargetMap: [] }),
      );
    });

    it('deletes the per-item keys of flags that left the list', async () => {
      const { writer } = readerAndWriter(store);
      await writer.writeFlags(ENV, [flag('a'), flag('b')]);
      await writer.writeFlags(ENV, [flag('a', 2)]);
      expect(await store.get(CACHE_KEYS.featureConfig(ENV, 'b'))).toBeNull();
    });

    it('finds them in the stored list when memory has not seen it, and in a decoded one', async () => {
      await readerAndWriter(store).writer.writeFlags(ENV, [flag('a'), flag('b'), flag('c')]);
      // Another instance's memory: the previous list is read from the store.
      const { writer, reader } = readerAndWriter(store);
      await writer.writeFlags(ENV, [flag('a', 2), flag('c', 2)]);
      expect(await store.get(CACHE_KEYS.featureConfig(ENV, 'b'))).toBeNull();
      // Served once (decoded in memory), then rewritten without `c`.
      expect((await reader.flags(ENV)).flags).toHaveLength(2);
      await writer.writeFlags(ENV, [flag('a', 3)]);
      expect(await store.get(CACHE_KEYS.featureConfig(ENV, 'c'))).toBeNull();
      expect(await store.get(CACHE_KEYS.featureConfig(ENV, 'a'))).not.toBeNull();
    });

    it('serves the same bytes until the list changes, then the new version', async () => {
      const { writer, reader } = readerAndWriter(store);
      await writer.writeFlags(ENV, [flag('a')]);
      const first = await reader.flags(ENV);
      expect(await reader.flags(ENV)).toBe(first);
      await writer.writeFlags(ENV, [flag('a', 2)]);
      const second = await reader.flags(ENV);
      expect(second).not.toBe(first);
      expect(second.get('a')?.version).toBe(2);
    });

    it('stores SDK keys as JSON strings and resolves them to their environment', async () => {
      const { writer } = readerAndWriter(store);
      await writer.writeEnvironment(
        { id: ENV, apiKeys: [sha256Hex('k')], featureConfigs: [flag('a')], segments: [] },
        'online',
      );
      expect(await store.get(CACHE_KEYS.authKey(sha256Hex('k')))).toBe(JSON.stringify(ENV));
      expect(await store.get(CACHE_KEYS.apiConfigs(ENV))).toBe(
        JSON.stringify([`auth-key-${sha256Hex('k')}`]),
      );
      // A fresh reader (another instance) learns them from the store alone.
      const { reader } = readerAndWriter(store);
      expect(await reader.environmentOfKey(sha256Hex('k'))).toBe(ENV);
      expect(await reader.environmentOfKey(sha256Hex('x'))).toBeNull();
    });
  });
});

/** A store whose reads can be made to fail, standing in for a Redis that went away. */
class FlakyStore extends MemoryCacheStore {
  failing = false;
  override get(key: string): Promise<string | null> {
    return this.failing ? Promise.reject(new Error('connection lost')) : super.get(key);
  }
}

describe('ConfigReader during a cache outage', () => {
  it('serves from memory, and a miss is a 503, never a 401', async () => {
    const backend = new FlakyStore();
    const { writer } = readerAndWriter(backend);
    await writer.writeFlags(ENV, [flag('a')]);
    await writer.addApiKey(ENV, sha256Hex('k'));
    // Another instance: it learns the key (and with it the config) from the store, then the
    // store goes away.
    const { reader } = readerAndWriter(backend);
    expect(await reader.environmentOfKey(sha256Hex('k'))).toBe(ENV);
    const before = await reader.flags(ENV);
    backend.failing = true;
    expect(await reader.flags(ENV)).toBe(before);
    expect(await reader.environmentOfKey(sha256Hex('k'))).toBe(ENV);
    await expect(reader.environmentOfKey(sha256Hex('never-seen'))).rejects.toBeInstanceOf(
      CacheUnavailableError,
    );
  });

  it('keeps serving what it wrote after the store is emptied', async () => {
    const backend = new MemoryCacheStore();
    const { writer, reader } = readerAndWriter(backend);
    await writer.writeEnvironment(
      { id: ENV, apiKeys: [sha256Hex('k')], featureConfigs: [flag('a')], segments: [] },
      'online',
    );
    await backend.del(await backend.scan(''));
    expect(await reader.environmentOfKey(sha256Hex('k'))).toBe(ENV);
    expect((await reader.flags(ENV)).flags.map((f) => f.feature)).toEqual(['a']);
  });
});

/** A writer and a reader sharing one memory over `backend`, as the CacheModule wires them. */
function readerAndWriter(backend: CacheStore) {
  const mirror = new MemoryMirror();
  const store = new MirroredCacheStore(backend, mirror);
  return { writer: new ConfigWriter(store), reader: new ConfigReader(store) };
}
