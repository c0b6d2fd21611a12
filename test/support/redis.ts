import { Redis } from 'ioredis';
import { inject } from 'vitest';

const CLAIM_PREFIX = 'ff-relay:test-db:';
const CLAIM_TTL_MS = 15 * 60_000;
let claimed: number | undefined;

/**
 * Each e2e test file gets a Redis DB (1..15) of its own for as long as it runs, claimed with
 * `SET NX` in DB 0 by the setup file. Vitest's pool ids are not unique across concurrently
 * running files in a multi-project run, so they cannot be used for this.
 */
export async function claimTestDb(): Promise<void> {
  const admin = new Redis({ port: inject('redisPort'), db: 0 });
  try {
    for (let db = 1; db <= 15; db += 1) {
      const owner = `${process.pid}:${expect.getState().testPath ?? ''}`;
      if ((await admin.set(`${CLAIM_PREFIX}${db}`, owner, 'PX', CLAIM_TTL_MS, 'NX')) === 'OK') {
        claimed = db;
        return;
      }
    }
    throw new Error('no free Redis test DB: 15 e2e files already hold one');
  } finally {
    admin.disconnect();
  }
}

export async function releaseTestDb(): Promise<void> {
  if (claimed === undefined) {
    return;
  }
  const admin = new Redis({ port: inject('redisPort'), db: 0 });
  await admin.del(`${CLAIM_PREFIX}${claimed}`).finally(() => admin.disconnect());
  claimed = undefined;
}

export function testRedisDb(): number {
  if (claimed === undefined) {
    throw new Error('no Redis test DB claimed (test/support/redis-db.setup.ts does it)');
  }
  return claimed;
}

export function testRedisAddress(): string {
  return `redis://127.0.0.1:${inject('redisPort')}/${testRedisDb()}`;
}

/** A plain client on the file's DB, for tests that inspect or change Redis directly. */
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
