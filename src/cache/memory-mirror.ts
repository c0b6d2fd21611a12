import { Injectable } from '@nestjs/common';
import type { FeatureConfig } from '../model/feature-config.js';
import type { Segment } from '../model/segment.js';
import type { Target } from '../model/target.js';
import { KEY_NAMES, type ListKind, type ServedKind, sha256Hex } from './cache-keys.js';
import { listIds } from './config-entries.js';
import { FlagSet } from './flag-set.js';
import {
  bounded,
  decodeList,
  type MirrorEntry,
  parseJsonString,
  reuseEntry,
  TargetEntries,
} from './mirror-entries.js';
import { SegmentSet } from './segment-set.js';

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
  private readonly targets = new TargetEntries();
  private readonly unknownKeys = new Map<string, MirrorEntry>();

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
      this.targets.put(key, raw, version, now);
      return;
    }
    if (kind === 'authKey' && raw === null) {
      this.config.delete(key);
      bounded(this.unknownKeys, MAX_UNKNOWN_KEYS).set(key, { raw, version, checkedAt: now });
      return;
    }
    this.unknownKeys.delete(key);
    const entry = reuseEntry(this.config.get(key), raw, version, now);
    if (kind !== 'authKey' && typeof entry.raw === 'string' && entry.raw !== '') {
      entry.raw = Buffer.from(entry.raw);
    }
    entry.size = raw?.length ?? 0;
    this.config.set(key, entry);
  }
}
