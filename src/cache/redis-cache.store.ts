import { Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { CacheStore } from './cache-store.js';
import { RedisClient } from './redis.client.js';

/**
 * The Redis cache. Only single-key commands (pipelined), so every call is slot-safe on a cluster;
 * no TTLs, no hashes, no MULTI, matching the Harness layout (`cache-and-ha.md` §3).
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
    if (keys.length === 1) {
      return [await this.get(keys[0] as string)];
    }
    const pipeline = this.redis.connection.pipeline();
    for (const key of keys) {
      pipeline.get(key);
    }
    const results = (await pipeline.exec()) ?? [];
    return results.map(([error, value]) => {
      if (error) {
        throw error;
      }
      return (value as string | null) ?? null;
    });
  }

  async set(entries: readonly (readonly [string, string])[]): Promise<void> {
    const pipeline = this.redis.connection.pipeline();
    for (const [key, value] of entries) {
      pipeline.set(key, value);
    }
    await this.execAll(pipeline.exec());
  }

  async del(keys: readonly string[]): Promise<void> {
    const pipeline = this.redis.connection.pipeline();
    for (const key of keys) {
      pipeline.del(key);
    }
    await this.execAll(pipeline.exec());
  }

  async batch(
    sets: readonly (readonly [string, string])[],
    dels: readonly string[],
  ): Promise<void> {
    const connection = this.redis.connection;
    const unit = this.redis.target.cluster ? connection.pipeline() : connection.multi();
    for (const [key, value] of sets) {
      unit.set(key, value);
    }
    for (const key of dels) {
      unit.del(key);
    }
    await this.execAll(unit.exec());
  }

  async scan(substring: string): Promise<string[]> {
    const found = await Promise.all(this.redis.masters().map((node) => scanNode(node, substring)));
    return [...new Set(found.flat())];
  }

  async ping(): Promise<void> {
    await this.redis.connection.ping();
  }

  private async execAll(results: Promise<[Error | null, unknown][] | null>): Promise<void> {
    for (const [error] of (await results) ?? []) {
      if (error) {
        throw error;
      }
    }
  }
}

async function scanNode(node: Redis, substring: string): Promise<string[]> {
  const keys: string[] = [];
  // Glob metacharacters in the substring would widen the match, so escape them.
  const match = `*${substring.replace(/[*?[\]\\]/g, '\\$&')}*`;
  for await (const batch of node.scanStream({ match })) {
    keys.push(...(batch as string[]));
  }
  return keys;
}
