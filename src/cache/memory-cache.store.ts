import { Injectable } from '@nestjs/common';
import { CacheStore } from './cache-store.js';

/** The in-memory cache: the default when no REDIS_ADDRESS is set. One process, nothing shared. */
@Injectable()
export class MemoryCacheStore extends CacheStore {
  readonly kind = 'in_mem';
  private readonly values = new Map<string, string>();

  get(key: string): Promise<string | null> {
    return Promise.resolve(this.values.get(key) ?? null);
  }

  mget(keys: readonly string[]): Promise<(string | null)[]> {
    return Promise.resolve(keys.map((key) => this.values.get(key) ?? null));
  }

  set(entries: readonly (readonly [string, string])[]): Promise<void> {
    for (const [key, value] of entries) {
      this.values.set(key, value);
    }
    return Promise.resolve();
  }

  del(keys: readonly string[]): Promise<void> {
    for (const key of keys) {
      this.values.delete(key);
    }
    return Promise.resolve();
  }

  /** Atomic for free: both loops run synchronously, so no reader can run in between. */
  batch(sets: readonly (readonly [string, string])[], dels: readonly string[]): Promise<void> {
    void this.set(sets);
    void this.del(dels);
    return Promise.resolve();
  }

  compareAndSet(key: string, expected: string | null, value: string): Promise<boolean> {
    if ((this.values.get(key) ?? null) !== expected) {
      return Promise.resolve(false);
    }
    this.values.set(key, value);
    return Promise.resolve(true);
  }

  scan(substring: string): Promise<string[]> {
    return Promise.resolve([...this.values.keys()].filter((key) => key.includes(substring)));
  }

  ping(): Promise<void> {
    return Promise.resolve();
  }
}
