import { Injectable } from '@nestjs/common';
import type { ChainableCommander, Redis } from 'ioredis';
import { CacheStore } from './cache-store.js';
import { RedisClient } from './redis/redis.client.js';

type Entries = readonly (readonly [string, string])[];

/** GET, compare, SET in one script: atomic on the server, one key (so one cluster slot). */
const COMPARE_AND_SET = `
local current = redis.call('GET', KEYS[1])
if (ARGV[1] == 'absent' and current == false) or (ARGV[1] == 'equal' and current == ARGV[2]) then
  redis.call('SET', KEYS[1], ARGV[3])
  return 1
end
return 0`;

/**
 * The Redis cache: single-key commands only (no TTLs, no hashes), matching the Harness layout
 * (docs/redis-layout.md). On one server several commands go out as one pipeline (a MULTI for a
 * batch); on a cluster a pipeline must stay within one slot, so each command is sent on its own
 * (following the cluster's redirections). Commands for one key keep their order.
 */
@Injectable()
export class RedisCacheStore extends CacheStore {
  readonly kind = 'redis';

  constructor(private readonly redis: RedisClient) {
    super();
  }

  async get(key: string): Promise<string | null> {
    return this.redis.connection.get(key);
  }

  async mget(keys: readonly string[]): Promise<(string | null)[]> {
    if (keys.length === 1 || this.redis.target.cluster) {
      return Promise.all(keys.map((key) => this.get(key)));
    }
    const pipeline = this.redis.connection.pipeline();
    keys.forEach((key) => pipeline.get(key));
    return (await execAll(pipeline)).map((value) => (value as string | null) ?? null);
  }

  async set(entries: Entries): Promise<void> {
    await this.write(entries, [], false);
  }

  async del(keys: readonly string[]): Promise<void> {
    await this.write([], keys, false);
  }

  async batch(sets: Entries, dels: readonly string[]): Promise<void> {
    await this.write(sets, dels, true);
  }

  async compareAndSet(key: string, expected: string | null, value: string): Promise<boolean> {
    const mode = expected === null ? 'absent' : 'equal';
    const written = await this.redis.connection.eval(
      COMPARE_AND_SET,
      1,
      key,
      mode,
      expected ?? '',
      value,
    );
    return written === 1;
  }

  async scan(substring: string): Promise<string[]> {
    const found = await Promise.all(this.redis.masters().map((node) => scanNode(node, substring)));
    return [...new Set(found.flat())];
  }

  async ping(): Promise<void> {
    await this.redis.connection.ping();
  }

  private async write(sets: Entries, dels: readonly string[], atomic: boolean): Promise<void> {
    const connection = this.redis.connection;
    if (this.redis.target.cluster) {
      await Promise.all([
        ...sets.map(([key, value]) => connection.set(key, value)),
        ...dels.map((key) => connection.del(key)),
      ]);
      return;
    }
    const unit = atomic ? connection.multi() : connection.pipeline();
    sets.forEach(([key, value]) => unit.set(key, value));
    dels.forEach((key) => unit.del(key));
    await execAll(unit);
  }
}

/** Runs a pipeline or MULTI; the first failed command fails the whole call. */
async function execAll(unit: ChainableCommander): Promise<unknown[]> {
  return ((await unit.exec()) ?? []).map(([error, value]) => {
    if (error) {
      throw error;
    }
    return value;
  });
}

/** Keys Redis walks per SCAN call (a hint; it may return more or fewer). */
const SCAN_COUNT = 1000;

async function scanNode(node: Redis, substring: string): Promise<string[]> {
  const keys: string[] = [];
  // Glob metacharacters in the substring would widen the match, so escape them.
  const match = `*${substring.replace(/[*?[\]\\]/g, '\\$&')}*`;
  // SCAN's default COUNT is 10: a cache of 5,000 environments (~200,000 keys) took ~20,000
  // round trips, two idle seconds of a primary's first load. A thousand keys a call keeps each
  // SCAN short for Redis (one dict walk of ~1,000 slots) with 200 round trips.
  for await (const batch of node.scanStream({ match, count: SCAN_COUNT })) {
    keys.push(...(batch as string[]));
  }
  return keys;
}
