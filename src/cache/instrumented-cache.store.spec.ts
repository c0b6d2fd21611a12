import { Counter, Histogram, Registry } from 'prom-client';
import { CacheMetrics } from '../metrics/cache-metrics.js';
import { CacheStore } from './cache-store.js';
import { InstrumentedCacheStore } from './instrumented-cache.store.js';
import { MemoryCacheStore } from './memory-cache.store.js';

/** A store whose every operation fails, like a Redis that stopped answering. */
class FailingStore extends MemoryCacheStore {
  override get(): Promise<string | null> {
    return Promise.reject(new Error('connection lost'));
  }

  override set(): Promise<void> {
    return Promise.reject(new Error('connection lost'));
  }
}

function cacheMetrics(registry: Registry): CacheMetrics {
  const duration = (op: string) =>
    new Histogram({ name: `ff_proxy_redis_cache_${op}_duration`, help: op, registers: [registry] });
  const count = (op: string) =>
    new Counter({
      name: `ff_proxy_redis_cache_${op}_count`,
      help: op,
      labelNames: ['error'],
      registers: [registry],
    });
  return new CacheMetrics(
    duration('write'),
    count('write'),
    duration('read'),
    count('read'),
    duration('delete'),
    count('remove'),
    duration('scan'),
    count('scan'),
  );
}

async function value(registry: Registry, name: string, error: string): Promise<number> {
  const metric = await registry.getSingleMetric(name)?.get();
  return metric?.values.find((v) => v.labels.error === error)?.value ?? 0;
}

describe(InstrumentedCacheStore.name, () => {
  it('counts a read of a missing key as a success and times every operation', async () => {
    const registry = new Registry();
    const store: CacheStore = new InstrumentedCacheStore(
      new MemoryCacheStore(),
      cacheMetrics(registry),
    );
    await store.set([['a', '1']]);
    expect(await store.get('missing')).toBeNull();
    await store.mget(['a', 'b']);
    await store.del(['a']);
    await store.batch([], ['a']);
    await store.scan('a');
    expect(await value(registry, 'ff_proxy_redis_cache_read_count', 'false')).toBe(2);
    expect(await value(registry, 'ff_proxy_redis_cache_write_count', 'false')).toBe(1);
    expect(await value(registry, 'ff_proxy_redis_cache_remove_count', 'false')).toBe(2);
    expect(await value(registry, 'ff_proxy_redis_cache_scan_count', 'false')).toBe(1);
    const text = await registry.metrics();
    expect(text).toMatch(/^ff_proxy_redis_cache_delete_duration_count 2$/m);
  });

  it('counts failures with error="true" and still rejects', async () => {
    const registry = new Registry();
    const store = new InstrumentedCacheStore(new FailingStore(), cacheMetrics(registry));
    await expect(store.get('a')).rejects.toThrow('connection lost');
    await expect(store.set([['a', '1']])).rejects.toThrow('connection lost');
    expect(await value(registry, 'ff_proxy_redis_cache_read_count', 'true')).toBe(1);
    expect(await value(registry, 'ff_proxy_redis_cache_write_count', 'true')).toBe(1);
    expect(await registry.metrics()).toMatch(/^ff_proxy_redis_cache_read_duration_count 1$/m);
  });
});
