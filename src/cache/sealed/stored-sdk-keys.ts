import { Injectable, Logger } from '@nestjs/common';
import { CACHE_KEYS } from '../cache-keys.js';
import { CacheStore } from '../cache-store.js';

/**
 * Every SDK key the cache holds, by environment, read from the store itself rather than from
 * memory: a read replica's memory holds only the keys its SDKs have used, the store every key
 * the primary wrote. For the Admin API's listing, not for the SDK request path.
 */
@Injectable()
export class StoredSdkKeys {
  private readonly logger = new Logger(StoredSdkKeys.name);

  constructor(private readonly store: CacheStore) {}

  /** SHA-256 hex of each key, by environment id; undefined when the store cannot be read. */
  async byEnvironment(): Promise<Map<string, string[]> | undefined> {
    const prefix = CACHE_KEYS.authKey('');
    try {
      const names = (await this.store.scan(prefix)).filter((name) => name.startsWith(prefix));
      const values = names.length > 0 ? await this.store.mget(names) : [];
      const byEnvironment = new Map<string, string[]>();
      names.forEach((name, i) => {
        const env = parseEnvironment(values[i] ?? null);
        if (env !== null) {
          byEnvironment.set(env, [...(byEnvironment.get(env) ?? []), name.slice(prefix.length)]);
        }
      });
      return byEnvironment;
    } catch (err) {
      this.logger.warn({ err }, 'could not list the sdk keys in the cache: listing memory');
      return undefined;
    }
  }
}

/** An `auth-key-…` value: the environment id as a JSON string; null for anything else. */
function parseEnvironment(raw: string | null): string | null {
  try {
    const value: unknown = raw === null ? null : JSON.parse(raw);
    return typeof value === 'string' ? value : null;
  } catch {
    return null;
  }
}
