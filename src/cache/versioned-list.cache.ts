import { Logger } from '@nestjs/common';
import { sha256Hex } from './cache-keys.js';
import type { CacheStore } from './cache-store.js';

interface Entry<T> {
  value: T;
  version: string;
}

/**
 * Serves a decoded list key (`env-*-feature-configs`, `env-*-segments`) by the `-latest` hash
 * written beside it: one small GET per request, and the list itself is fetched and decoded only
 * when the hash changes (`cache-and-ha.md` §8.2). Concurrent refreshes of one key are coalesced.
 * If the store fails, the last good version keeps being served so SDKs ride out a Redis restart.
 */
export class VersionedListCache<T> {
  private readonly logger = new Logger(VersionedListCache.name);
  private readonly entries = new Map<string, Entry<T>>();
  private readonly pending = new Map<string, Promise<T>>();

  constructor(
    private readonly store: CacheStore,
    private readonly build: (version: string, items: unknown[]) => T,
  ) {}

  async get(listKey: string): Promise<T> {
    const cached = this.entries.get(listKey);
    let latest: string | null;
    try {
      latest = await this.store.get(`${listKey}-latest`);
    } catch (err) {
      if (cached) {
        this.logger.warn({ err, key: listKey }, 'cache read failed: serving last known version');
        return cached.value;
      }
      throw err;
    }
    if (cached && latest !== null && cached.version === latest) {
      return cached.value;
    }
    return this.refresh(listKey, latest);
  }

  private refresh(listKey: string, latest: string | null): Promise<T> {
    const inflight = this.pending.get(listKey);
    if (inflight) {
      return inflight;
    }
    const load = this.load(listKey, latest).finally(() => this.pending.delete(listKey));
    this.pending.set(listKey, load);
    return load;
  }

  private async load(listKey: string, latest: string | null): Promise<T> {
    const raw = await this.store.get(listKey);
    // Without a `-latest` (a writer that deletes it instead, §2.2 option b) hash the bytes.
    const version = latest ?? (raw === null ? '' : sha256Hex(raw));
    const cached = this.entries.get(listKey);
    if (cached && cached.version === version) {
      return cached.value;
    }
    const items = raw === null ? [] : (JSON.parse(raw) as unknown[]);
    const value = this.build(version, Array.isArray(items) ? items : []);
    this.entries.set(listKey, { value, version });
    return value;
  }
}
