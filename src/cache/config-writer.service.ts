import { Injectable } from '@nestjs/common';
import type { FeatureConfig } from '../model/feature-config.js';
import { normaliseFlag, normaliseSegment, normaliseTarget } from '../model/normalise.js';
import type { Segment } from '../model/segment.js';
import type { Target } from '../model/target.js';
import { CACHE_KEYS, sha256Hex } from './cache-keys.js';
import { CacheStore } from './cache-store.js';

type Entry = readonly [string, string];

/**
 * Writes environment config in the Harness layout (`cache-and-ha.md` §4): list, then `-latest`,
 * then per-item keys, in one pipelined batch. Readers serve items from the list they decoded, so
 * no reader sees a mix of two versions of an environment.
 */
@Injectable()
export class ConfigWriter {
  constructor(private readonly store: CacheStore) {}

  /** Replaces the environment's flags; per-item keys of flags that are gone are deleted. */
  async writeFlags(env: string, flags: readonly FeatureConfig[]): Promise<void> {
    const normalised = flags.map(normaliseFlag);
    await this.writeList(
      CACHE_KEYS.featureConfigs(env),
      normalised,
      normalised.map((f) => [CACHE_KEYS.featureConfig(env, f.feature), f] as const),
      (id) => CACHE_KEYS.featureConfig(env, id),
      (item) => (item as FeatureConfig).feature,
    );
  }

  async writeSegments(env: string, segments: readonly Segment[]): Promise<void> {
    const normalised = segments.map(normaliseSegment);
    await this.writeList(
      CACHE_KEYS.segments(env),
      normalised,
      normalised.map((s) => [CACHE_KEYS.segment(env, s.identifier), s] as const),
      (id) => CACHE_KEYS.segment(env, id),
      (item) => (item as Segment).identifier,
    );
  }

  /** Registers hashed SDK keys for an environment; `withApiConfigs` also writes the key list. */
  async writeApiKeys(env: string, keyHashes: readonly string[], withApiConfigs: boolean) {
    const entries: Entry[] = keyHashes.map((h) => [CACHE_KEYS.authKey(h), JSON.stringify(env)]);
    if (withApiConfigs) {
      const names = keyHashes.map((h) => CACHE_KEYS.authKey(h));
      entries.push([CACHE_KEYS.apiConfigs(env), JSON.stringify(names)]);
    }
    await this.store.set(entries);
  }

  /** Stores the target an SDK authenticated with; the list key holds only the latest (as Go). */
  async writeTarget(env: string, target: Target): Promise<void> {
    const json = JSON.stringify(normaliseTarget(target));
    await this.store.set([
      [CACHE_KEYS.targetConfig(env, target.identifier), json],
      [CACHE_KEYS.targetConfigs(env), `[${json}]`],
    ]);
  }

  private async writeList(
    listKey: string,
    items: readonly unknown[],
    itemEntries: readonly (readonly [string, unknown])[],
    itemKey: (id: string) => string,
    idOf: (item: unknown) => string,
  ): Promise<void> {
    const previous = await this.store.get(listKey);
    const list = JSON.stringify(items);
    await this.store.set([
      [listKey, list],
      [CACHE_KEYS.latest(listKey), JSON.stringify(sha256Hex(list))],
      ...itemEntries.map(([key, item]) => [key, JSON.stringify(item)] as const),
    ]);
    const kept = new Set(itemEntries.map(([key]) => key));
    const stale = previous === null ? [] : (JSON.parse(previous) as unknown[]).map(idOf);
    const gone = stale.map(itemKey).filter((key) => !kept.has(key));
    if (gone.length > 0) {
      await this.store.del(gone);
    }
  }
}
