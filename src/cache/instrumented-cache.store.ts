import type { CacheMetrics } from '../metrics/cache-metrics.js';
import { CacheStore } from './cache-store.js';

type Entries = readonly (readonly [string, string])[];

/**
 * The Redis store with the Harness cache metrics around every key operation (all keys, not only the
 * memoized ones Harness measures: docs/prometheus-metrics.md). A batch is one round trip and counts
 * as a write, or as a delete when it only deletes. Pings are health checks, not cache operations.
 */
export class InstrumentedCacheStore extends CacheStore {
  readonly kind: CacheStore['kind'];

  constructor(
    private readonly backend: CacheStore,
    private readonly metrics: CacheMetrics,
  ) {
    super();
    this.kind = backend.kind;
  }

  get(key: string): Promise<string | null> {
    return this.metrics.time('read', () => this.backend.get(key));
  }

  mget(keys: readonly string[]): Promise<(string | null)[]> {
    return this.metrics.time('read', () => this.backend.mget(keys));
  }

  set(entries: Entries): Promise<void> {
    return this.metrics.time('write', () => this.backend.set(entries));
  }

  del(keys: readonly string[]): Promise<void> {
    return this.metrics.time('delete', () => this.backend.del(keys));
  }

  batch(sets: Entries, dels: readonly string[]): Promise<void> {
    const operation = sets.length === 0 ? 'delete' : 'write';
    return this.metrics.time(operation, () => this.backend.batch(sets, dels));
  }

  compareAndSet(key: string, expected: string | null, value: string): Promise<boolean> {
    return this.metrics.time('write', () => this.backend.compareAndSet(key, expected, value));
  }

  scan(substring: string): Promise<string[]> {
    return this.metrics.time('scan', () => this.backend.scan(substring));
  }

  ping(): Promise<void> {
    return this.backend.ping();
  }
}
