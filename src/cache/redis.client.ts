import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { StartupError } from '../common/errors/startup-error.js';
import { AppConfig, type RedisConfig } from '../config/app-config.js';
import { parseRedisAddress, type RedisTarget } from './redis-address.js';

/** How often boot logs that it is still waiting for Redis. */
const WAIT_LOG_INTERVAL_MS = 5_000;
/** How often a cluster client asks which node serves which slot, errors or not. */
const SLOTS_REFRESH_INTERVAL_MS = 5_000;

export type RedisLinkState = 'up' | 'down';

/**
 * Owns the connection to Redis (single node or cluster). Everything that talks to Redis goes
 * through this class. Commands fail fast (connect and command timeouts, few retries) so callers
 * can fall back to memory; link changes are reported at once to whoever listens.
 */
@Injectable()
export class RedisClient implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(RedisClient.name);
  readonly connection: Redis | Cluster;
  readonly target: RedisTarget;
  private readonly settings: RedisConfig;
  private readonly listeners = new Set<(state: RedisLinkState) => void>();
  private state: RedisLinkState = 'down';
  private closing = false;
  /** The last connection error, which says more than a command's timeout (ECONNREFUSED…). */
  private lastError?: Error;

  constructor(config: AppConfig) {
    this.settings = config.redis as RedisConfig;
    this.target = parseRedisAddress(this.settings);
    this.connection = this.create(this.settings);
    // Without a listener ioredis prints every failed reconnect; link changes are logged below.
    this.connection.on('error', (err: Error) => {
      this.lastError = err;
      this.logger.debug({ err: withoutCommand(err) }, 'redis error');
    });
    this.connection.on('ready', () => this.setState('up'));
    this.connection.on('close', () => this.setState('down'));
  }

  /** Where Redis is, for log lines (never credentials). */
  get where(): string {
    return this.target.nodes.map((n) => `${n.host}:${n.port}`).join(',');
  }

  get linkState(): RedisLinkState {
    return this.state;
  }

  /** Calls `listener` on every change of the link: `up` after each (re)connect, `down` on loss. */
  onLinkChange(listener: (state: RedisLinkState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Boot waits for Redis (REDIS_STARTUP_TIMEOUT, 1 min by default, as Harness), saying what it
   * waits for, then gives up with one clear error that stops the process.
   */
  async onModuleInit(): Promise<void> {
    const deadline = Date.now() + this.settings.startupTimeoutMs;
    let lastLog = 0;
    for (;;) {
      try {
        await this.ping(Math.max(1, deadline - Date.now()));
        return;
      } catch (err) {
        const reason =
          this.lastError?.message ?? (err instanceof Error ? err.message : String(err));
        if (Date.now() >= deadline) {
          throw new StartupError(
            `failed to connect to redis at ${this.where} within ${this.settings.startupTimeoutMs} ms: ${reason}`,
          );
        }
        if (Date.now() - lastLog >= WAIT_LOG_INTERVAL_MS) {
          lastLog = Date.now();
          this.logger.warn({ redis: this.where, reason }, 'waiting for redis to answer');
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  }

  /** One PING, bounded by the command timeout even while the client is reconnecting. */
  async ping(withinMs = this.settings.commandTimeoutMs): Promise<void> {
    const timeoutMs = Math.min(withinMs, this.settings.commandTimeoutMs);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([this.connection.ping(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * A connection of its own for a blocking reader (`XREAD BLOCK` holds its connection), with a
   * command deadline long enough for the block. The caller disconnects it.
   */
  dedicated(commandTimeoutMs: number): Redis | Cluster {
    const connection = this.create(this.settings, commandTimeoutMs);
    connection.on('error', (err: Error) =>
      this.logger.debug({ err: withoutCommand(err) }, 'redis reader error'),
    );
    return connection;
  }

  /** Every node that holds keys: the masters of a cluster, or the single server. */
  masters(): Redis[] {
    return this.connection instanceof Cluster ? this.connection.nodes('master') : [this.connection];
  }

  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    // QUIT waits for an answer a dead server never sends: bound it, then drop the socket.
    const quit = this.connection.quit().catch(() => undefined);
    const bounded = new Promise((resolve) => setTimeout(resolve, 1_000).unref());
    await Promise.race([quit, bounded]);
    this.connection.disconnect();
  }

  private setState(next: RedisLinkState): void {
    if (next === this.state || this.closing) {
      return;
    }
    this.state = next;
    if (next === 'down') {
      this.logger.warn({ redis: this.where }, 'lost the connection to redis: serving from memory');
    } else {
      this.logger.log({ redis: this.where }, 'connected to redis');
    }
    this.listeners.forEach((listener) => listener(next));
  }

  private create(redis: RedisConfig, commandTimeoutMs = redis.commandTimeoutMs): Redis | Cluster {
    const backoff = (times: number) =>
      Math.min(redis.minRetryBackoffMs * 2 ** Math.min(times, 16), redis.maxRetryBackoffMs);
    const options: RedisOptions = {
      username: redis.username,
      password: redis.password,
      connectTimeout: redis.connectTimeoutMs,
      // A hung server (SIGSTOP, network partition) must not hold requests: every command has a
      // deadline, queued ones included, and is retried across few reconnects.
      commandTimeout: commandTimeoutMs,
      maxRetriesPerRequest: redis.maxRetriesPerRequest,
      retryStrategy: backoff,
      tls: this.target.tls ? { servername: this.target.nodes[0]?.host } : undefined,
    };
    if (this.target.cluster) {
      return new Cluster(this.target.nodes, {
        redisOptions: options,
        clusterRetryStrategy: backoff,
        // No auto-pipelining: it batches commands for several slots of one node, and when a
        // failover moves some of them the batch fails with the raw MOVED instead of following it.
        enableAutoPipelining: false,
        // A hung master's commands time out without a MOVED to follow: the map of which node
        // serves which slot is refreshed regularly, so its promoted replica is found anyway.
        slotsRefreshInterval: SLOTS_REFRESH_INTERVAL_MS,
      });
    }
    const node = this.target.nodes[0] ?? { host: '127.0.0.1', port: 6379 };
    return new Redis({ ...options, host: node.host, port: node.port, db: this.target.db });
  }
}

/**
 * ioredis attaches the failed command to its errors, and an AUTH or HELLO command carries the
 * password: log the error without it.
 */
function withoutCommand(err: Error): { name: string; message: string; code?: unknown } {
  return { name: err.name, message: err.message, code: (err as { code?: unknown }).code };
}
