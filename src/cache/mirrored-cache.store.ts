import type { MemoizeMetrics } from '../metrics/cache-metrics.js';
import { CacheStore } from './cache-store.js';
import type { MemoryMirror } from './memory-mirror.js';

type Entries = readonly (readonly [string, string])[];

/**
 * The store every module writes through: the backend (Redis or in-memory), and after each write
 * the backend accepted, the memory SDK reads are served from. One place sees every write and
 * delete, so memory can never miss one (sync, cleanup, purges and target writes alike).
 */
export class MirroredCacheStore extends CacheStore {
  readonly kind: CacheStore['kind'];

  constructor(
    private readonly backend: CacheStore,
    private readonly mirror: MemoryMirror,
    private readonly memoize?: MemoizeMetrics,
  ) {
    super();
    this.kind = backend.kind;
  }

  get(key: string): Promise<string | null> {
    return this.backend.get(key);
  }

  mget(keys: readonly string[]): Promise<(string | null)[]> {
    return this.backend.mget(keys);
  }

  async set(entries: Entries): Promise<void> {
    await this.backend.set(entries);
    this.memoize?.wrote(entries.length);
    this.mirror.record(entries);
  }

  async del(keys: readonly string[]): Promise<void> {
    await this.backend.del(keys);
    this.mirror.forget(keys);
  }

  async batch(sets: Entries, dels: readonly string[]): Promise<void> {
    await this.backend.batch(sets, dels);
    this.memoize?.wrote(sets.length);
    this.mirror.record(sets);
    this.mirror.forget(dels);
  }

  async compareAndSet(key: string, expected: string | null, value: string): Promise<boolean> {
    const written = await this.backend.compareAndSet(key, expected, value);
    if (written) {
      this.mirror.record([[key, value]]);
    }
    return written;
  }

  scan(substring: string): Promise<string[]> {
    return this.backend.scan(substring);
  }

  ping(): Promise<void> {
    return this.backend.ping();
  }
}
