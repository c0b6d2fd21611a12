import { Injectable } from '@nestjs/common';
import type { FeatureConfig } from '../model/feature-config.js';
import { normaliseTarget } from '../model/normalise.js';
import type { Segment } from '../model/segment.js';
import type { Target } from '../model/target.js';
import { CACHE_KEYS, type ListKind } from './cache-keys.js';
import { MirroredCacheStore } from './mirrored-cache.store.js';
import {
  apiKeyEntries,
  type Entry,
  flagEntries,
  listIds,
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
  constructor(private readonly store: MirroredCacheStore) {}

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
    await this.store.setMemoryFirst(entries);
  }

  /**
   * Item keys of the lists being rewritten that the new lists leave out. The previous ids come
   * from memory, which holds every list this instance wrote or served; the store is asked only
   * for lists memory does not know (a primary's first load on a warm cache).
   */
  private async staleItems(env: string, sets: readonly Entry[]): Promise<string[]> {
    const writes = new Set(sets.map(([key]) => key));
    const lists: { kind: ListKind; key: string; itemKey: (id: string) => string }[] = [
      {
        kind: 'flags',
        key: CACHE_KEYS.featureConfigs(env),
        itemKey: (id) => CACHE_KEYS.featureConfig(env, id),
      },
      {
        kind: 'segments',
        key: CACHE_KEYS.segments(env),
        itemKey: (id) => CACHE_KEYS.segment(env, id),
      },
    ];
    const stale: string[] = [];
    const unknown: typeof lists = [];
    for (const list of lists.filter(({ key }) => writes.has(key))) {
      const ids = this.store.memory.listIds(list.kind, list.key);
      if (ids) {
        stale.push(...staleItemKeys(ids, list.itemKey, sets));
      } else {
        unknown.push(list);
      }
    }
    if (unknown.length > 0) {
      const stored = await this.store.mget(unknown.map(({ key }) => key));
      unknown.forEach(({ kind, itemKey }, i) => {
        stale.push(...staleItemKeys(listIds(kind, stored[i] ?? null), itemKey, sets));
      });
    }
    return stale;
  }
}
