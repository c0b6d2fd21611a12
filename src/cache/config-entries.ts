import type { FeatureConfig } from '../model/feature-config.js';
import { normaliseFlag, normaliseSegment } from '../model/normalise.js';
import type { Segment } from '../model/segment.js';
import { CACHE_KEYS, sha256Hex } from './cache-keys.js';

export type Entry = readonly [string, string];

/** A list key and its `-latest` companion: the SHA-256 of the exact bytes, as a JSON string. */
function listEntries(listKey: string, items: readonly unknown[]): Entry[] {
  const list = JSON.stringify(items);
  return [
    [listKey, list],
    [CACHE_KEYS.latest(listKey), JSON.stringify(sha256Hex(list))],
  ];
}

/** Flag list, `-latest`, then one key per flag, in the order Harness writes them. */
export function flagEntries(env: string, flags: readonly FeatureConfig[]): Entry[] {
  const normalised = flags.map(normaliseFlag);
  return [
    ...listEntries(CACHE_KEYS.featureConfigs(env), normalised),
    ...normalised.map((f): Entry => [CACHE_KEYS.featureConfig(env, f.feature), JSON.stringify(f)]),
  ];
}

export function segmentEntries(env: string, segments: readonly Segment[]): Entry[] {
  const normalised = segments.map(normaliseSegment);
  return [
    ...listEntries(CACHE_KEYS.segments(env), normalised),
    ...normalised.map((s): Entry => [CACHE_KEYS.segment(env, s.identifier), JSON.stringify(s)]),
  ];
}

/** Each key's environment, and (online) the environment's list of its key names. */
export function apiKeyEntries(env: string, hashes: readonly string[], withList: boolean): Entry[] {
  const entries = hashes.map((h): Entry => [CACHE_KEYS.authKey(h), JSON.stringify(env)]);
  if (withList) {
    entries.push([CACHE_KEYS.apiConfigs(env), JSON.stringify(hashes.map(CACHE_KEYS.authKey))]);
  }
  return entries;
}

/** Per-item keys of `previous` (a stored list's JSON) that are not written again. */
export function staleItemKeys(
  previous: string | null,
  idOf: (item: Record<string, unknown>) => unknown,
  itemKey: (id: string) => string,
  written: readonly Entry[],
): string[] {
  if (previous === null) {
    return [];
  }
  const kept = new Set(written.map(([key]) => key));
  const items = JSON.parse(previous) as Record<string, unknown>[];
  return items
    .map(idOf)
    .filter((id): id is string => typeof id === 'string')
    .map(itemKey)
    .filter((key) => !kept.has(key));
}
