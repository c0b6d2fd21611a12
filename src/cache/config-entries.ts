import type { FeatureConfig } from '../model/feature-config.js';
import { normaliseFlag, normaliseSegment } from '../model/normalise.js';
import type { Segment } from '../model/segment.js';
import { CACHE_KEYS, type ListKind, sha256Hex } from './cache-keys.js';
import { decodeList } from './mirror-entries.js';

export type Entry = readonly [string, string];

/**
 * A list key, its `-latest` companion (the SHA-256 of the exact bytes, as a JSON string), then
 * one key per item, in the order Harness writes them. Each item is serialised once: the list is
 * its items' JSON joined, byte for byte what `JSON.stringify` of the array gives.
 */
function listAndItemEntries(listKey: string, items: readonly [string, string][]): Entry[] {
  const list = `[${items.map(([, json]) => json).join(',')}]`;
  return [[listKey, list], [CACHE_KEYS.latest(listKey), JSON.stringify(sha256Hex(list))], ...items];
}

export function flagEntries(env: string, flags: readonly FeatureConfig[]): Entry[] {
  const items = flags
    .map(normaliseFlag)
    .map((f): [string, string] => [CACHE_KEYS.featureConfig(env, f.feature), JSON.stringify(f)]);
  return listAndItemEntries(CACHE_KEYS.featureConfigs(env), items);
}

export function segmentEntries(env: string, segments: readonly Segment[]): Entry[] {
  const items = segments
    .map(normaliseSegment)
    .map((s): [string, string] => [CACHE_KEYS.segment(env, s.identifier), JSON.stringify(s)]);
  return listAndItemEntries(CACHE_KEYS.segments(env), items);
}

/** Each key's environment, and (online) the environment's list of its key names. */
export function apiKeyEntries(env: string, hashes: readonly string[], withList: boolean): Entry[] {
  const entries = hashes.map((h): Entry => [CACHE_KEYS.authKey(h), JSON.stringify(env)]);
  if (withList) {
    entries.push([CACHE_KEYS.apiConfigs(env), JSON.stringify(hashes.map(CACHE_KEYS.authKey))]);
  }
  return entries;
}

/** The ids of a stored flag or segment list's JSON (none when absent or not a list). */
export function listIds(kind: ListKind, raw: string | Buffer | null): string[] {
  const field = kind === 'flags' ? 'feature' : 'identifier';
  return (decodeList(raw) as Record<string, unknown>[])
    .map((item) => item[field])
    .filter((id): id is string => typeof id === 'string');
}

/** Item keys of the previous list's ids that are not written again. */
export function staleItemKeys(
  previousIds: readonly string[],
  itemKey: (id: string) => string,
  written: readonly Entry[],
): string[] {
  const kept = new Set(written.map(([key]) => key));
  return previousIds.map(itemKey).filter((key) => !kept.has(key));
}
