import { CACHE_KEYS, KEY_NAMES } from '../../cache/cache-keys.js';
import type { EnvironmentConfig } from '../../model/environment-config.js';

/** Where an inventory key came from, so notifications never have to parse key names. */
export interface InventoryItem {
  env: string;
  domain: 'flag' | 'target-segment' | null;
  identifier: string;
}

/**
 * The asset keys a proxy key owns for a config (docs/redis-layout.md, "Inventory"): list and item
 * keys of non-empty categories, SDK keys and the environment's key list. `-latest` keys and targets
 * are never in it. Segments are tracked by identifier (the Go proxy wrongly uses the name).
 */
export function inventoryOf(
  environments: readonly EnvironmentConfig[],
): Map<string, InventoryItem> {
  const items = new Map<string, InventoryItem>();
  const add = (key: string, item: InventoryItem) => items.set(key, item);
  for (const env of environments) {
    const plain = { env: env.id, domain: null, identifier: '' };
    if (env.apiKeys.length) {
      add(CACHE_KEYS.apiConfigs(env.id), plain);
      env.apiKeys.forEach((h) => add(CACHE_KEYS.authKey(h), plain));
    }
    if (env.featureConfigs.length) {
      add(CACHE_KEYS.featureConfigs(env.id), plain);
      for (const { feature } of env.featureConfigs) {
        add(CACHE_KEYS.featureConfig(env.id, feature), {
          env: env.id,
          domain: 'flag',
          identifier: feature,
        });
      }
    }
    if (env.segments.length) {
      add(CACHE_KEYS.segments(env.id), plain);
      for (const { identifier } of env.segments) {
        const item = { env: env.id, domain: 'target-segment' as const, identifier };
        add(CACHE_KEYS.segment(env.id, identifier), item);
      }
    }
  }
  return items;
}

export interface InventoryDiff {
  deleted: string[];
  created: string[];
  patched: string[];
}

export function diffInventory(
  previous: ReadonlySet<string>,
  next: ReadonlyMap<string, InventoryItem>,
): InventoryDiff {
  const keys = [...next.keys()];
  return {
    deleted: [...previous].filter((key) => !next.has(key)),
    created: keys.filter((key) => !previous.has(key)),
    patched: keys.filter((key) => previous.has(key)),
  };
}

/** The environments an inventory holds lists of. */
export function environmentsOf(inventory: Iterable<string>): string[] {
  const envs = new Set<string>();
  for (const key of inventory) {
    const env = KEY_NAMES.list(key)?.env;
    if (env) {
      envs.add(env);
    }
  }
  return [...envs];
}
