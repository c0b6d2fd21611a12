import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { AppConfig, type RedisConfig } from '../config/app-config.js';
import { parseRedisAddress, type RedisTarget } from './redis-address.js';

const STARTUP_PING_TIMEOUT_MS = 60_000;

/**
 * Owns the connection to Redis (single node or cluster). Everything that talks to Redis goes
 * through this class.
 */
@Injectable()
export class RedisClient implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(RedisClient.name);
  readonly connection: Redis | Cluster;
  readonly target: RedisTarget;

  constructor(config: AppConfig) {
    const redis = config.redis as RedisConfig;
    this.target = parseRedisAddress(redis);
    this.connection = this.create(redis);
    this.connection.on('error', (err: Error) =>
      this.logger.warn({ err }, 'redis connection error'),
    );
  }

  /** Boot fails (and the process exits 1) when Redis does not answer, as in Harness. */
  async onModuleInit(): Promise<void> {
    await this.ping();
  }

  /** The startup check: Harness exits when Redis does not answer a PING within a minute. */
  async ping(timeoutMs = STARTUP_PING_TIMEOUT_MS): Promise<void> {
    const timeout = new Promise<never>((_, reject) => {
      setTimeout(() => reject(new Error('failed to connect to redis')), timeoutMs).unref();
    });
    await Promise.race([this.connection.ping(), timeout]);
  }

  /** Every node that holds keys: the masters of a cluster, or the single server. */
  masters(): Redis[] {
    return this.connection instanceof Cluster ? this.connection.nodes('master') : [this.connection];
  }

  async onApplicationShutdown(): Promise<void> {
    // A connection that is already gone has nothing left to close.
    await this.connection.quit().catch(() => undefined);
  }

  private create(redis: RedisConfig): Redis | Cluster {
    const options: RedisOptions = {
      username: redis.username,
      password: redis.password,
      // Fail a command fast during an outage so reads can fall back to last-known-good data.
      maxRetriesPerRequest: 1,
      retryStrategy: (times) => Math.min(times * 200, 2_000),
      tls: this.target.tls ? { servername: this.target.nodes[0]?.host } : undefined,
    };
    if (this.target.cluster) {
      return new Cluster(this.target.nodes, { redisOptions: options });
    }
    const node = this.target.nodes[0] ?? { host: '127.0.0.1', port: 6379 };
    return new Redis({ ...options, host: node.host, port: node.port, db: this.target.db });
  }
}
