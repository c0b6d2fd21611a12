import { Injectable } from '@nestjs/common';
import type { FeatureConfig } from '../model/feature-config.js';
import { normaliseTarget } from '../model/normalise.js';
import type { Segment } from '../model/segment.js';
import type { Target } from '../model/target.js';
import { CACHE_KEYS } from './cache-keys.js';
import { CacheStore } from './cache-store.js';
import { MemoryMirror } from './memory-mirror.js';
import {
  apiKeyEntries,
  type Entry,
  flagEntries,
  segmentEntries,
  staleItemKeys,
} from './config-entries.js';

export interface EnvironmentWrite {
  id: string;
  apiKeys: readonly string[];
  featureConfigs: readonly FeatureConfig[];
  segments: readonly Segment[];
}

/**
 * Writes environment config in the Harness layout (docs/redis-layout.md). Readers serve items
 * from the list version they decoded, and each environment is written as one unit, so no
 * reader sees half an environment.
 */
@Injectable()
export class ConfigWriter {
  constructor(
    private readonly store: CacheStore,
    private readonly mirror: MemoryMirror,
  ) {}

  /**
   * One environment in one batch: segments, flags, then its SDK keys (so a key never works
   * before its config is readable). `offline` writes empty lists too and no key list, as
   * Harness's offline loader; online, empty categories are left to the inventory cleanup.
   */
  async writeEnvironment(env: EnvironmentWrite, mode: 'offline' | 'online'): Promise<void> {
    const all = mode === 'offline';
    const sets: Entry[] = [
      ...(all || env.segments.length ? segmentEntries(env.id, env.segments) : []),
      ...(all || env.featureConfigs.length ? flagEntries(env.id, env.featureConfigs) : []),
      ...(all || env.apiKeys.length ? apiKeyEntries(env.id, env.apiKeys, !all) : []),
    ];
    await this.store.batch(sets, await this.staleItems(env.id, sets));
  }

  async writeFlags(env: string, flags: readonly FeatureConfig[]): Promise<void> {
    const sets = flagEntries(env, flags);
    await this.store.batch(sets, await this.staleItems(env, sets));
  }

  async writeSegments(env: string, segments: readonly Segment[]): Promise<void> {
    const sets = segmentEntries(env, segments);
    await this.store.batch(sets, await this.staleItems(env, sets));
  }

  /** Deletes a list and its `-latest` (a Go replica would otherwise keep serving the old hash). */
  async deleteList(listKey: string): Promise<void> {
    await this.store.del([listKey, CACHE_KEYS.latest(listKey)]);
  }

  async setApiKeys(env: string, keyNames: readonly string[]): Promise<void> {
    await this.store.set([[CACHE_KEYS.apiConfigs(env), JSON.stringify(keyNames)]]);
  }

  async addApiKey(env: string, hash: string): Promise<void> {
    await this.store.set(apiKeyEntries(env, [hash], false));
  }

  async deleteKeys(keys: readonly string[]): Promise<void> {
    if (keys.length > 0) {
      await this.store.del(keys);
    }
  }

  /** Stores the target an SDK authenticated with; the list key holds only the latest (as Go). */
  async writeTarget(env: string, target: Target): Promise<void> {
    const json = JSON.stringify(normaliseTarget(target));
    const entries: Entry[] = [
      [CACHE_KEYS.targetConfig(env, target.identifier), json],
      [CACHE_KEYS.targetConfigs(env), `[${json}]`],
    ];
    // Into memory first: this instance evaluates for the target even if the cache is down.
    this.mirror.record(entries);
    await this.store.set(entries);
  }

  private async staleItems(env: string, sets: readonly Entry[]): Promise<string[]> {
    const flagsKey = CACHE_KEYS.featureConfigs(env);
    const segmentsKey = CACHE_KEYS.segments(env);
    const writes = new Set(sets.map(([key]) => key));
    const [flags, segments] = await this.store.mget([flagsKey, segmentsKey]);
    return [
      ...(writes.has(flagsKey)
        ? staleItemKeys(
            flags ?? null,
            (f) => f.feature,
            (id) => CACHE_KEYS.featureConfig(env, id),
            sets,
          )
        : []),
      ...(writes.has(segmentsKey)
        ? staleItemKeys(
            segments ?? null,
            (s) => s.identifier,
            (id) => CACHE_KEYS.segment(env, id),
            sets,
          )
        : []),
    ];
  }
}
