import { Redis } from 'ioredis';
import { inject } from 'vitest';

/**
 * Each Vitest worker gets its own Redis DB (1..15; DB 0 is left to people), so parallel files
 * never see each other's keys.
 */
export function testRedisDb(): number {
  const worker = Number.parseInt(process.env.VITEST_POOL_ID ?? '1', 10);
  return 1 + ((worker - 1) % 15);
}

export function testRedisAddress(): string {
  return `redis://127.0.0.1:${inject('redisPort')}/${testRedisDb()}`;
}

/** A plain client on the worker's DB, for tests that inspect or change Redis directly. */
export function testRedisClient(): Redis {
  return new Redis({ port: inject('redisPort'), db: testRedisDb(), lazyConnect: false });
}

export async function flushTestDb(): Promise<void> {
  const client = testRedisClient();
  try {
    await client.flushdb();
  } finally {
    client.disconnect();
  }
}
