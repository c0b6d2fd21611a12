import { Injectable, Logger, Optional } from '@nestjs/common';
import { CacheUnavailableError } from '../common/errors/proxy-error.js';
import { AppConfig } from '../config/app-config.js';
import { MemoizeMetrics } from '../metrics/cache-metrics.js';
import type { Target } from '../model/target.js';
import { CacheHealthService } from './cache-health.service.js';
import { CACHE_KEYS, KEY_NAMES, loggableKey } from './cache-keys.js';
import type { FlagSet } from './flag-set.js';
import type { MemoryView } from './memory-mirror.js';
import type { MirrorEntry } from './mirror-entries.js';
import { MirroredCacheStore } from './mirrored-cache.store.js';
import type { SegmentSet } from './segment-set.js';

/**
 * Everything the SDK-facing routes read, served from memory ({@link MemoryMirror}) and read from
 * the store only on a miss. When the store fails, what memory holds is served as it is; what it
 * does not hold is a 503 (never a 401 or an empty list, which SDKs would take as final).
 */
@Injectable()
export class ConfigReader {
  private readonly logger = new Logger(ConfigReader.name);
  private readonly pending = new Map<string, Promise<MirrorEntry>>();
  /**
   * Whether each read says where it was served from. Decided once (the level never changes):
   * every SDK read passes here, and a debug call that writes nothing still costs.
   */
  private readonly traceReads: boolean;

  private readonly mirror: MemoryView;

  constructor(
    private readonly store: MirroredCacheStore,
    /** Always there in the app; optional so a reader can be built by hand (cache tests). */
    @Optional() private readonly memoize?: MemoizeMetrics,
    @Optional() private readonly health?: CacheHealthService,
    @Optional() config?: AppConfig,
  ) {
    this.traceReads = config?.log.level === 'debug' || config?.log.level === 'trace';
    this.mirror = store.memory;
  }

  async flags(env: string): Promise<FlagSet> {
    return this.mirror.flags(this.memoized(await this.entry(CACHE_KEYS.featureConfigs(env))));
  }

  async segments(env: string): Promise<SegmentSet> {
    return this.mirror.segments(this.memoized(await this.entry(CACHE_KEYS.segments(env))));
  }

  /**
   * The environment's flags and segments when memory holds both and neither is due for a
   * recheck, without waiting: the hot path of evaluations. Undefined otherwise ({@link flags}
   * and {@link segments} then read them).
   */
  listsInMemory(env: string): { flags: FlagSet; segments: SegmentSet } | undefined {
    const flags = this.mirror.lookup(CACHE_KEYS.featureConfigs(env));
    const segments = this.mirror.lookup(CACHE_KEYS.segments(env));
    if (!flags?.fresh || !segments?.fresh) {
      return undefined;
    }
    return {
      flags: this.mirror.flags(this.memoized(flags.entry)),
      segments: this.mirror.segments(this.memoized(segments.entry)),
    };
  }

  /**
   * The environment an SDK key (by hash) belongs to, or null when the key is unknown. A key
   * learnt from the store brings its environment's config into memory with it, so a known key
   * can always be served.
   */
  async environmentOfKey(keyHash: string): Promise<string | null> {
    const key = CACHE_KEYS.authKey(keyHash);
    const known = this.mirror.lookup(key);
    if (known?.fresh) {
      return this.mirror.environment(this.memoized(known.entry));
    }
    const env = this.mirror.environment(this.memoized(await this.entry(key)));
    if (env !== null) {
      await Promise.all([this.flags(env), this.segments(env)]);
    }
    return env;
  }

  async target(env: string, identifier: string): Promise<Target | null> {
    const entry = await this.entry(CACHE_KEYS.targetConfig(env, identifier));
    return this.mirror.target(this.memoized(entry));
  }

  /**
   * Reads a list again after another instance changed it (a replica told by its primary). Not
   * joined with a read already under way: that one may have started before the change.
   */
  async reload(kind: 'flags' | 'segments', env: string): Promise<void> {
    const key = kind === 'flags' ? CACHE_KEYS.featureConfigs(env) : CACHE_KEYS.segments(env);
    const load = this.load(key).finally(() => this.pending.delete(key));
    this.pending.set(key, load);
    await load;
  }

  /** An SDK key another instance added: the next lookup asks the store. */
  keyAdded(keyHash: string): void {
    this.store.invalidate([CACHE_KEYS.authKey(keyHash)]);
  }

  /** An SDK key another instance removed: refused from now on, without asking the store. */
  keyRemoved(keyHash: string): void {
    this.store.forgetDeleted([CACHE_KEYS.authKey(keyHash)]);
  }

  /** Forgets an environment that was removed: its lists and its SDK keys. */
  forgetEnvironment(env: string): void {
    this.store.invalidateEnvironment(env);
  }

  /** The `auth-key-<hash>` names of an environment's SDK keys (primary-written list). */
  async apiKeyNames(env: string): Promise<string[]> {
    const raw = await this.store.get(CACHE_KEYS.apiConfigs(env));
    const parsed: unknown = raw === null ? [] : JSON.parse(raw);
    return Array.isArray(parsed) ? parsed.filter((k): k is string => typeof k === 'string') : [];
  }

  /** Every key of an environment's config and targets (not its SDK keys). */
  environmentKeys(env: string): Promise<string[]> {
    return this.store.scan(KEY_NAMES.environmentPrefix(env));
  }

  /** Counts a read as a memoize hit (served decoded) or miss (about to be decoded). */
  private memoized(entry: MirrorEntry): MirrorEntry {
    this.memoize?.read(entry.decoded !== undefined);
    return entry;
  }

  /**
   * Memory first. A miss waits for the store (one read per key at a time) and is a 503 if the
   * store fails. A known value due for a recheck (a target) is served at once and refreshed in
   * the background; a known absence waits for the recheck, since another instance may have
   * added the key since, and stands only if the store fails.
   */
  private async entry(key: string): Promise<MirrorEntry> {
    const known = this.mirror.lookup(key);
    if (known && !known.fresh) {
      const recheck = this.refresh(key);
      if (known.entry.raw === null) {
        return recheck.catch(() => known.entry);
      }
      recheck.catch((err: unknown) => {
        this.logger.debug(
          { err, key: loggableKey(key) },
          'cache recheck failed: serving what memory holds',
        );
      });
    }
    if (known) {
      if (this.traceReads) {
        this.logger.debug({ key: loggableKey(key) }, 'cache hit in memory');
      }
      return known.entry;
    }
    this.logger.debug({ key: loggableKey(key) }, 'cache miss in memory: reading the store');
    try {
      return await this.refresh(key);
    } catch (err) {
      this.logger.warn({ err, key: loggableKey(key) }, 'cache read failed and memory has no copy');
      throw new CacheUnavailableError();
    }
  }

  private refresh(key: string): Promise<MirrorEntry> {
    let load = this.pending.get(key);
    if (!load) {
      load = this.load(key).finally(() => this.pending.delete(key));
      this.pending.set(key, load);
    }
    return load;
  }

  private async load(key: string): Promise<MirrorEntry> {
    this.store.recordRead(key, await this.read(key));
    const loaded = this.mirror.lookup(key);
    if (!loaded) {
      throw new Error(`${key} is not a mirrored key`);
    }
    return loaded.entry;
  }

  /**
   * A miss in a cache that lost its data (restarted empty or flushed: the seed marker is gone
   * too) proves no absence: it fails like an unreachable cache, so an SDK gets a 503 rather than
   * a 401 or an empty list until the data is written back. The marker comes in the same round
   * trip.
   */
  private async read(key: string): Promise<string | null> {
    if (!this.health?.watchesMarker) {
      return this.store.get(key);
    }
    const [raw = null, marker = null] = await this.store.mget([key, CACHE_KEYS.seedMarker]);
    if (raw === null && marker === null) {
      // Have the re-seed start now rather than at the next health check.
      void this.health.check();
      throw new CacheUnavailableError();
    }
    return raw;
  }
}
