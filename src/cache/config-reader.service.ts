import { Injectable, Logger } from '@nestjs/common';
import type { FeatureConfig } from '../model/feature-config.js';
import type { Segment } from '../model/segment.js';
import type { Target } from '../model/target.js';
import { CACHE_KEYS } from './cache-keys.js';
import { CacheStore } from './cache-store.js';
import { FlagSet } from './flag-set.js';
import { SegmentSet } from './segment-set.js';
import { VersionedListCache } from './versioned-list.cache.js';

/** Everything the SDK-facing routes read from the cache, decoded once per version. */
@Injectable()
export class ConfigReader {
  private readonly logger = new Logger(ConfigReader.name);
  private readonly flagSets: VersionedListCache<FlagSet>;
  private readonly segmentSets: VersionedListCache<SegmentSet>;
  /** Last known environment of each key hash, used only while the store is unreachable. */
  private readonly knownKeys = new Map<string, string>();

  constructor(private readonly store: CacheStore) {
    this.flagSets = new VersionedListCache(
      store,
      (version, items) => new FlagSet(version, items as FeatureConfig[]),
    );
    this.segmentSets = new VersionedListCache(
      store,
      (version, items) => new SegmentSet(version, items as Segment[]),
    );
  }

  flags(env: string): Promise<FlagSet> {
    return this.flagSets.get(CACHE_KEYS.featureConfigs(env));
  }

  segments(env: string): Promise<SegmentSet> {
    return this.segmentSets.get(CACHE_KEYS.segments(env));
  }

  /** The environment an SDK key (by hash) belongs to, or null when the key is unknown. */
  async environmentOfKey(keyHash: string): Promise<string | null> {
    let raw: string | null;
    try {
      raw = await this.store.get(CACHE_KEYS.authKey(keyHash));
    } catch (err) {
      const known = this.knownKeys.get(keyHash);
      if (known === undefined) {
        throw err;
      }
      this.logger.warn({ err }, 'cache read failed: using last known key lookup');
      return known;
    }
    const env = raw === null ? null : parseJsonString(raw);
    if (env === null) {
      this.knownKeys.delete(keyHash);
    } else {
      this.knownKeys.set(keyHash, env);
    }
    return env;
  }

  /** The `auth-key-<hash>` names of an environment's SDK keys (primary-written list). */
  async apiKeyNames(env: string): Promise<string[]> {
    const raw = await this.store.get(CACHE_KEYS.apiConfigs(env));
    const parsed: unknown = raw === null ? [] : JSON.parse(raw);
    return Array.isArray(parsed) ? parsed.filter((k): k is string => typeof k === 'string') : [];
  }

  /** Every key of an environment's config and targets (not its SDK keys). */
  environmentKeys(env: string): Promise<string[]> {
    return this.store.scan(`env-${env}-`);
  }

  async target(env: string, identifier: string): Promise<Target | null> {
    const raw = await this.store.get(CACHE_KEYS.targetConfig(env, identifier));
    return raw === null ? null : (JSON.parse(raw) as Target);
  }
}

/** Key values are JSON strings (`"<uuid>"`, quotes included); tolerate a bare value too. */
function parseJsonString(raw: string): string {
  if (raw.startsWith('"')) {
    const parsed: unknown = JSON.parse(raw);
    return typeof parsed === 'string' ? parsed : raw;
  }
  return raw;
}
