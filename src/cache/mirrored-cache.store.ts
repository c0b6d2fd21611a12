import type { MemoizeMetrics } from '../metrics/cache-metrics.js';
import { CacheStore } from './cache-store.js';
import { CACHE_KEYS } from './cache-keys.js';
import type { MemoryMirror, MemoryView } from './memory-mirror.js';

type Entries = readonly (readonly [string, string])[];

/**
 * The store every module writes through: the backend (Redis or in-memory), and after each write
 * the backend accepted, the memory SDK reads are served from. It is memory's one writer: every
 * write, delete, read answered by the backend and invalidation passes here, so memory can never
 * miss one (sync, cleanup, purges and target writes alike). Everyone else reads {@link memory}.
 */
export class MirroredCacheStore extends CacheStore {
  readonly kind: CacheStore['kind'];
  readonly memory: MemoryView;

  constructor(
    private readonly backend: CacheStore,
    private readonly mirror: MemoryMirror,
    private readonly memoize?: MemoizeMetrics,
  ) {
    super();
    this.kind = backend.kind;
    this.memory = mirror;
  }

  /** What the backend answered a read of `key` (null: it has no such key). */
  recordRead(key: string, raw: string | null): void {
    this.mirror.record([[key, raw]]);
  }

  /**
   * Into memory first, then the backend: this instance can use the value (a target it evaluates
   * for) even if the backend is down.
   */
  async setMemoryFirst(entries: Entries): Promise<void> {
    this.mirror.record(entries);
    await this.backend.set(entries);
    this.memoize?.wrote(entries.length);
  }

  /** Another instance changed these keys: the next read asks the backend. */
  invalidate(keys: readonly string[]): void {
    this.mirror.drop(keys);
  }

  /** Another instance deleted these keys: known absent from now on, without asking. */
  forgetDeleted(keys: readonly string[]): void {
    this.mirror.forget(keys);
  }

  /** An environment another instance removed: its lists and SDK keys are asked again. */
  invalidateEnvironment(env: string): void {
    this.mirror.drop([CACHE_KEYS.featureConfigs(env), CACHE_KEYS.segments(env)]);
    this.mirror.dropKeysOf(env);
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
