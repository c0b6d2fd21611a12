import { Inject, Injectable } from '@nestjs/common';
import { CACHE_KEYS } from '../cache-keys.js';
import { RedisClient } from '../redis/redis.client.js';

const MINUTE_MS = 60_000;

/**
 * Counts that every instance adds to and any instance reads back summed: one Redis hash per
 * subject and minute (field: a name, value: a count), expiring after the longest window read.
 * Instances add what they counted since their last flush, so no request waits on Redis. Each
 * command touches one key, so it works the same on Redis Cluster. Without Redis the counts are
 * this process's own.
 */
@Injectable()
export class FleetCounts {
  private readonly local = new Map<string, Map<string, number>>();

  constructor(@Inject(RedisClient) private readonly redis: RedisClient | null) {}

  /** Adds `deltas` to the current minute of `subject`, kept for `keepMinutes`. */
  async add(
    subject: string,
    deltas: ReadonlyMap<string, number>,
    keepMinutes: number,
    now = Date.now(),
  ): Promise<void> {
    if (deltas.size === 0) {
      return;
    }
    const key = CACHE_KEYS.fleetCount(subject, Math.floor(now / MINUTE_MS));
    if (!this.redis) {
      const bucket = this.local.get(key) ?? new Map<string, number>();
      deltas.forEach((n, name) => bucket.set(name, (bucket.get(name) ?? 0) + n));
      this.local.set(key, bucket);
      this.forgetLocal(keepMinutes, now);
      return;
    }
    const connection = this.redis.connection;
    try {
      await Promise.all([...deltas].map(([name, n]) => connection.hincrby(key, name, n)));
    } catch (err) {
      // Not a hash (written by hand?): a counter is ours to reset.
      if (!(err instanceof Error && err.message.startsWith('WRONGTYPE'))) {
        throw err;
      }
      await connection.del(key);
      await Promise.all([...deltas].map(([name, n]) => connection.hincrby(key, name, n)));
    }
    await connection.pexpire(key, (keepMinutes + 1) * MINUTE_MS);
  }

  /** Per name, the sum over the current minute and the `minutes` before it. */
  async totals(subject: string, minutes: number, now = Date.now()): Promise<Map<string, number>> {
    const current = Math.floor(now / MINUTE_MS);
    const keys = Array.from({ length: minutes + 1 }, (_, i) =>
      CACHE_KEYS.fleetCount(subject, current - i),
    );
    const buckets = this.redis
      ? await Promise.all(keys.map((key) => this.readBucket(key)))
      : keys.map((key) => Object.fromEntries(this.local.get(key) ?? []));
    const totals = new Map<string, number>();
    for (const bucket of buckets) {
      for (const [name, value] of Object.entries(bucket)) {
        const n = Number(value);
        // A value that is not a count (written by hand?) adds nothing.
        if (Number.isSafeInteger(n) && n > 0) {
          totals.set(name, (totals.get(name) ?? 0) + n);
        }
      }
    }
    return totals;
  }

  private async readBucket(key: string): Promise<Record<string, string | number>> {
    try {
      return await (this.redis as RedisClient).connection.hgetall(key);
    } catch (err) {
      if (err instanceof Error && err.message.startsWith('WRONGTYPE')) {
        return {};
      }
      throw err;
    }
  }

  private forgetLocal(keepMinutes: number, now: number): void {
    const oldest = Math.floor(now / MINUTE_MS) - keepMinutes - 1;
    for (const key of this.local.keys()) {
      if (Number(key.slice(key.lastIndexOf('-') + 1)) < oldest) {
        this.local.delete(key);
      }
    }
  }
}
