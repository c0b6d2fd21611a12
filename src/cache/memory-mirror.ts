import { Injectable } from '@nestjs/common';
import type { FeatureConfig } from '../model/feature-config.js';
import type { Segment } from '../model/segment.js';
import type { Target } from '../model/target.js';
import { KEY_NAMES, type ListKind, type ServedKind, sha256Hex } from './cache-keys.js';
import { listIds } from './config-entries.js';
import { FlagSet } from './flag-set.js';
import { SegmentSet } from './segment-set.js';

/** A bound on the entries that SDK traffic, not config, decides the number of. */
const MAX_TARGETS = 10_000;
/** And by size: targets come from clients (a target header may be hundreds of kB). */
const MAX_TARGET_BYTES = 32 * 1024 * 1024;
const MAX_UNKNOWN_KEYS = 10_000;
/** Absent keys and targets are re-asked of the store after this; so are targets (other instances write them). */
const RECHECK_MS = 30_000;

export interface ServedEnvironment {
  id: string;
  /** SHA-256 hex of each SDK key. */
  apiKeys: string[];
  flags: FlagSet;
  segments: SegmentSet;
}

const EMPTY_FLAGS = new FlagSet('', []);
const EMPTY_SEGMENTS = new SegmentSet('', []);

export interface MirrorEntry {
  /**
   * The stored text, kept until first decoded; null when the store has no such key. Lists are
   * kept as bytes outside the JS heap: a primary holds every environment's lists undecoded, and
   * V8 sizes its heap (and so the process) after what the heap holds (docs/performance.md).
   */
  raw: string | Buffer | null;
  version: string;
  decoded?: unknown;
  checkedAt: number;
  /**
   * Characters of the stored text: targets are bounded by size as well as count, and lists
   * tell how much config memory holds ({@link MemoryMirror.configBytes}).
   */
  size?: number;
}

/**
 * What everyone but its one writer (MirroredCacheStore) may do with memory: read it.
 */
export type MemoryView = Pick<
  MemoryMirror,
  | 'lookup'
  | 'flags'
  | 'segments'
  | 'environment'
  | 'target'
  | 'listIds'
  | 'servedEnvironments'
  | 'configBytes'
  | 'size'
>;

/**
 * The memory this instance serves SDKs from: every flag list, segment list and SDK key it wrote
 * or read, plus recently used targets, decoded once per version. The store (Redis) is only asked
 * on a miss, so a slow, dead or emptied Redis does not fail a read of anything seen before.
 * Keys are the exact cache key names; the kind of a key only decides how its value is decoded.
 */
@Injectable()
export class MemoryMirror {
  private readonly config = new Map<string, MirrorEntry>();
  private readonly targets = new Map<string, MirrorEntry>();
  private readonly unknownKeys = new Map<string, MirrorEntry>();
  private targetBytes = 0;

  /** Records values the store now holds (after a write, or a read on a miss). */
  record(entries: Iterable<readonly [string, string | null]>, now = Date.now()): void {
    for (const [key, raw] of entries) {
      const kind = KEY_NAMES.servedKind(key);
      if (kind) {
        this.put(kind, key, raw, now);
      }
    }
  }

  /** Records that keys are gone from the store. */
  forget(keys: Iterable<string>, now = Date.now()): void {
    this.record(
      Array.from(keys, (key) => [key, null] as const),
      now,
    );
  }

  /** Drops what memory knows of these keys (not "known absent": unknown, ask the store). */
  drop(keys: Iterable<string>): void {
    for (const key of keys) {
      this.config.delete(key);
      this.unknownKeys.delete(key);
      this.targetBytes -= this.targets.get(key)?.size ?? 0;
      this.targets.delete(key);
    }
  }

  /** Drops the SDK keys that belong to an environment. */
  dropKeysOf(env: string): void {
    for (const [key, entry] of this.config) {
      if (KEY_NAMES.authKeyHash(key) !== undefined && this.environment(entry) === env) {
        this.config.delete(key);
      }
    }
  }

  /**
   * The entry for `key`, or undefined when the store must be asked: never seen, or a target or
   * an absent key not checked for {@link RECHECK_MS}. `stale` entries serve when the store fails.
   */
  lookup(key: string, now = Date.now()): { entry: MirrorEntry; fresh: boolean } | undefined {
    const entry = this.config.get(key) ?? this.unknownKeys.get(key) ?? this.targets.get(key);
    if (!entry) {
      return undefined;
    }
    const rechecks = this.targets.has(key) || entry.raw === null;
    return { entry, fresh: !rechecks || now - entry.checkedAt < RECHECK_MS };
  }

  flags(entry: MirrorEntry): FlagSet {
    entry.decoded ??= new FlagSet(entry.version, decodeList(entry.raw) as FeatureConfig[]);
    entry.raw = entry.raw === null ? null : '';
    return entry.decoded as FlagSet;
  }

  segments(entry: MirrorEntry): SegmentSet {
    entry.decoded ??= new SegmentSet(entry.version, decodeList(entry.raw) as Segment[]);
    entry.raw = entry.raw === null ? null : '';
    return entry.decoded as SegmentSet;
  }

  /**
   * The item ids of a flag or segment list memory holds, without keeping a decoded copy (a
   * primary holds its lists undecoded); undefined when memory does not know the list.
   */
  listIds(kind: ListKind, key: string): string[] | undefined {
    const entry = this.config.get(key) ?? this.unknownKeys.get(key);
    if (!entry) {
      return undefined;
    }
    if (entry.decoded instanceof FlagSet) {
      return entry.decoded.flags.map((flag) => flag.feature);
    }
    if (entry.decoded instanceof SegmentSet) {
      return entry.decoded.segments.map((segment) => segment.identifier);
    }
    return listIds(kind, entry.raw);
  }

  environment(entry: MirrorEntry): string | null {
    entry.decoded ??= entry.raw === null ? null : parseJsonString(entry.raw.toString());
    return entry.decoded as string | null;
  }

  target(entry: MirrorEntry): Target | null {
    entry.decoded ??= entry.raw === null ? null : (JSON.parse(entry.raw.toString()) as Target);
    return entry.decoded as Target | null;
  }

  /**
   * Every environment memory holds config or SDK keys of, decoded: what a cache that came back
   * empty is re-seeded from.
   */
  servedEnvironments(): ServedEnvironment[] {
    const envs = new Map<string, ServedEnvironment>();
    const of = (id: string): ServedEnvironment => {
      let env = envs.get(id);
      if (!env) {
        env = { id, apiKeys: [], flags: EMPTY_FLAGS, segments: EMPTY_SEGMENTS };
        envs.set(id, env);
      }
      return env;
    };
    for (const [key, entry] of this.config) {
      const hash = KEY_NAMES.authKeyHash(key);
      const list = KEY_NAMES.list(key);
      if (hash !== undefined) {
        const env = this.environment(entry);
        if (env !== null) {
          of(env).apiKeys.push(hash);
        }
      } else if (list && list.kind !== 'apiKeys' && entry.raw !== null) {
        const env = of(list.env);
        if (list.kind === 'flags') {
          env.flags = this.flags(entry);
        } else {
          env.segments = this.segments(entry);
        }
      }
    }
    return [...envs.values()];
  }

  /** Characters of flag and segment list text held, decoded or not: what sizes a process. */
  configBytes(): number {
    let bytes = 0;
    for (const [key, entry] of this.config) {
      if (KEY_NAMES.authKeyHash(key) === undefined) {
        bytes += entry.size ?? 0;
      }
    }
    return bytes;
  }

  /** How much is mirrored, for logs and tests. */
  get size(): { config: number; targets: number; unknownKeys: number } {
    return {
      config: this.config.size,
      targets: this.targets.size,
      unknownKeys: this.unknownKeys.size,
    };
  }

  private put(kind: ServedKind, key: string, raw: string | null, now: number): void {
    const version = raw === null ? '' : sha256Hex(raw);
    if (kind === 'target') {
      const known = this.targets.get(key);
      // Targets are never deleted upstream; an emptied Redis must not erase what we know.
      if (raw === null && known && known.raw !== null) {
        known.checkedAt = now;
        return;
      }
      this.targets.delete(key);
      this.targetBytes -= known?.size ?? 0;
      const entry = this.reuse(known, raw, version, now);
      entry.size = raw?.length ?? 0;
      this.targetBytes += entry.size;
      this.targets.set(key, entry);
      this.evictTargets();
      return;
    }
    if (kind === 'authKey' && raw === null) {
      this.config.delete(key);
      bounded(this.unknownKeys, MAX_UNKNOWN_KEYS).set(key, { raw, version, checkedAt: now });
      return;
    }
    this.unknownKeys.delete(key);
    const entry = this.reuse(this.config.get(key), raw, version, now);
    if (kind !== 'authKey' && typeof entry.raw === 'string' && entry.raw !== '') {
      entry.raw = Buffer.from(entry.raw);
    }
    entry.size = raw?.length ?? 0;
    this.config.set(key, entry);
  }

  /** Oldest first, until the targets fit both bounds. */
  private evictTargets(): void {
    for (const [key, entry] of this.targets) {
      if (this.targets.size <= MAX_TARGETS && this.targetBytes <= MAX_TARGET_BYTES) {
        return;
      }
      this.targets.delete(key);
      this.targetBytes -= entry.size ?? 0;
    }
  }

  /** The same content keeps its decoded object, so memoised responses survive a rewrite. */
  private reuse(
    known: MirrorEntry | undefined,
    raw: string | null,
    version: string,
    now: number,
  ): MirrorEntry {
    if (known && known.version === version && (known.raw === null) === (raw === null)) {
      known.checkedAt = now;
      return known;
    }
    return { raw, version, checkedAt: now };
  }
}

function bounded<V>(map: Map<string, V>, max: number): Map<string, V> {
  while (map.size >= max) {
    const oldest = map.keys().next().value;
    if (oldest === undefined) {
      break;
    }
    map.delete(oldest);
  }
  return map;
}

function decodeList(raw: string | Buffer | null): unknown[] {
  const parsed: unknown = raw?.length ? JSON.parse(raw.toString()) : [];
  return Array.isArray(parsed) ? parsed : [];
}

/** Key values are JSON strings (`"<uuid>"`, quotes included); tolerate a bare value too. */
function parseJsonString(raw: string): string {
  if (raw.startsWith('"')) {
    const parsed: unknown = JSON.parse(raw);
    return typeof parsed === 'string' ? parsed : raw;
  }
  return raw;
}
