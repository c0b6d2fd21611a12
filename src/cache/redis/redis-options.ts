import { Cluster, type ClusterOptions, Redis, type RedisOptions } from 'ioredis';
import type { RedisConfig } from '../../config/app-config.js';
import type { RedisTarget } from './redis-address.js';

/** How often a cluster client asks which node serves which slot, errors or not. */
const SLOTS_REFRESH_INTERVAL_MS = 5_000;

/** How ff-relay's connections name themselves in `CLIENT LIST`. */
export const CONNECTION_NAMES = { commands: 'ff-relay', reader: 'ff-relay-reader' } as const;

/**
 * The wait before reconnect attempt `times` (1, 2, …): doubling from REDIS_MIN_RETRY_BACKOFF_MILLIS
 * up to REDIS_MAX_RETRY_BACKOFF_MILLIS, as go-redis spaces its retries (without its jitter, so
 * the sequence is predictable).
 */
export function retryBackoff(redis: RedisConfig): (times: number) => number {
  return (times) =>
    Math.min(
      redis.minRetryBackoffMs * 2 ** Math.min(Math.max(times - 1, 0), 30),
      redis.maxRetryBackoffMs,
    );
}

/**
 * ioredis options for one connection (or, in a cluster, each node's). go-redis has a read and a
 * write deadline per socket operation; ioredis has one deadline per command, from the moment it
 * is issued until its reply: that is REDIS_READ_TIMEOUT_SECONDS. The write deadline is watched
 * separately (write-deadline.ts). REDIS_MAX_RETRIES is how many failed reconnects a pending
 * command waits through before it fails, with the backoff above between them.
 */
export function connectionOptions(
  redis: RedisConfig,
  target: RedisTarget,
  role: keyof typeof CONNECTION_NAMES,
  commandTimeoutMs = redis.commandTimeoutMs,
): RedisOptions {
  return {
    username: redis.username,
    password: redis.password,
    connectionName: CONNECTION_NAMES[role],
    connectTimeout: redis.connectTimeoutMs,
    // A hung server (SIGSTOP, network partition) must not hold requests: every command has a
    // deadline, queued ones included.
    commandTimeout: commandTimeoutMs,
    maxRetriesPerRequest: redis.maxRetriesPerRequest,
    retryStrategy: retryBackoff(redis),
    tls: target.tls ? { servername: target.nodes[0]?.host } : undefined,
  };
}

/** A connection to the single server or the cluster, reporting its errors to `onError`. */
export function openConnection(
  redis: RedisConfig,
  target: RedisTarget,
  role: keyof typeof CONNECTION_NAMES,
  onError: (err: Error) => void,
  commandTimeoutMs?: number,
): Redis | Cluster {
  const options = connectionOptions(redis, target, role, commandTimeoutMs);
  const connection = target.cluster
    ? new Cluster(target.nodes, clusterOptions(redis, options))
    : new Redis({
        ...options,
        host: target.nodes[0]?.host ?? '127.0.0.1',
        port: target.nodes[0]?.port ?? 6379,
        db: target.db,
      });
  // Without a listener ioredis prints every failed reconnect.
  connection.on('error', onError);
  return connection;
}

/** QUIT waits for an answer a dead server never sends: bound it, then drop the socket. */
export async function quit(connection: Redis | Cluster): Promise<void> {
  const quitted = connection.quit().catch(() => undefined);
  const bounded = new Promise((resolve) => setTimeout(resolve, 1_000).unref());
  await Promise.race([quitted, bounded]);
  connection.disconnect();
}

/**
 * ioredis attaches the failed command to its errors, and an AUTH or HELLO command carries the
 * password: log the error without it.
 */
export function withoutCommand(err: Error): { name: string; message: string; code?: unknown } {
  return { name: err.name, message: err.message, code: (err as { code?: unknown }).code };
}

function clusterOptions(redis: RedisConfig, redisOptions: RedisOptions): ClusterOptions {
  return {
    redisOptions,
    clusterRetryStrategy: retryBackoff(redis),
    // No auto-pipelining: it batches commands for several slots of one node, and when a
    // failover moves some of them the batch fails with the raw MOVED instead of following it.
    enableAutoPipelining: false,
    // A hung master's commands time out without a MOVED to follow: the map of which node
    // serves which slot is refreshed regularly, so its promoted replica is found anyway.
    slotsRefreshInterval: SLOTS_REFRESH_INTERVAL_MS,
  };
}
