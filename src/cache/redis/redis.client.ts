import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Cluster, type Redis } from 'ioredis';
import { StartupError } from '../../common/errors/startup-error.js';
import { AppConfig, type RedisConfig } from '../../config/app-config.js';
import { ConnectionAges } from './connection-ages.js';
import { parseRedisAddress, type RedisTarget } from './redis-address.js';
import { RedisLink, type RedisLinkState } from './redis-link.js';
import { type CONNECTION_NAMES, openConnection, quit, withoutCommand } from './redis-options.js';
import { WriteDeadline } from './write-deadline.js';

/** How often boot logs that it is still waiting for Redis. */
const WAIT_LOG_INTERVAL_MS = 5_000;

type Connection = Redis | Cluster;

/**
 * Owns the connections to Redis (single node or cluster): one pipelined connection for commands
 * and one per blocking stream reader, never more than the pool settings allow. Everything that
 * talks to Redis goes through this class. Commands fail fast (connect and command timeouts, few
 * retries) so callers can fall back to memory; link changes are reported at once to whoever
 * listens. With REDIS_CON_MAX_LIFETIME_MINUTES a connection is replaced when it gets that old.
 */
@Injectable()
export class RedisClient implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(RedisClient.name);
  readonly target: RedisTarget;
  private readonly settings: RedisConfig;
  private commands: Connection;
  private unwatchCommands: () => void;
  /** Stream readers' connections, with the command deadline each was made with. */
  private readonly readers = new Map<Connection, number>();
  private readonly ages: ConnectionAges;
  private readonly writeDeadline: WriteDeadline;
  private readonly link: RedisLink;
  private closing = false;
  /** The last connection error, which says more than a command's timeout (ECONNREFUSED…). */
  private lastError?: Error;

  constructor(config: AppConfig) {
    this.settings = config.redis as RedisConfig;
    this.target = parseRedisAddress(this.settings);
    this.link = new RedisLink(this.logger, this.where);
    this.commands = this.create('commands');
    this.unwatchCommands = this.link.watch(this.commands);
    this.ages = new ConnectionAges(
      this.settings.connMaxLifetimeMs,
      () => this.commands,
      () => this.replaceCommands(),
    );
    this.ages.track(this.commands);
    this.writeDeadline = new WriteDeadline(this.settings.writeTimeoutMs, () => this.all());
  }

  /** The connection for commands. Take it per call: it is replaced when it reaches its lifetime. */
  get connection(): Connection {
    return this.commands;
  }

  /** Where Redis is, for log lines (never credentials). */
  get where(): string {
    return this.target.nodes.map((n) => `${n.host}:${n.port}`).join(',');
  }

  get linkState(): RedisLinkState {
    return this.link.current;
  }

  /** Calls `listener` on every change of the link: `up` after each (re)connect, `down` on loss. */
  onLinkChange(listener: (state: RedisLinkState) => void): () => void {
    return this.link.onChange(listener);
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
      await Promise.race([this.commands.ping(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * A connection of its own for a blocking reader (`XREAD BLOCK` holds its connection), with a
   * command deadline long enough for the block. The caller disconnects it. Refused when the pool
   * settings leave no room for it.
   */
  dedicated(commandTimeoutMs: number): Connection {
    const { count, variable } = this.settings.maxConnections;
    const needed = 2 + this.readers.size;
    if (needed > count) {
      throw new StartupError(
        `${variable} allows ${count} connection(s) to each redis node; this process needs ${needed}: one for commands and one per stream reader`,
      );
    }
    return this.openReader(commandTimeoutMs);
  }

  /**
   * The reader's connection, or a fresh one in its place once it has reached its lifetime. Call
   * it between reads: nothing is waiting on the connection then.
   */
  renewed(connection: Connection): Connection {
    const commandTimeoutMs = this.readers.get(connection);
    if (commandTimeoutMs === undefined || !this.ages.expired(connection)) {
      return connection;
    }
    connection.disconnect();
    return this.openReader(commandTimeoutMs);
  }

  /** Every node that holds keys: the masters of a cluster, or the single server. */
  masters(): Redis[] {
    return this.commands instanceof Cluster ? this.commands.nodes('master') : [this.commands];
  }

  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    this.link.close();
    this.ages.stop();
    this.writeDeadline.stop();
    await quit(this.commands);
  }

  private openReader(commandTimeoutMs: number): Connection {
    const connection = this.create('reader', commandTimeoutMs);
    this.readers.set(connection, commandTimeoutMs);
    this.ages.track(connection);
    connection.once('end', () => this.readers.delete(connection));
    return connection;
  }

  /** The command connection reached its lifetime: a fresh one takes over once it is ready. */
  private async replaceCommands(): Promise<void> {
    const fresh = this.create('commands');
    const ready = await new Promise<boolean>((resolve) => {
      fresh.once('ready', () => resolve(true));
      fresh.once('close', () => resolve(false));
    });
    if (!ready || this.closing) {
      fresh.disconnect();
      return;
    }
    const old = this.commands;
    // The old connection's close is planned: it must not read as a lost link.
    this.unwatchCommands();
    this.commands = fresh;
    this.ages.track(fresh);
    this.unwatchCommands = this.link.watch(fresh);
    this.logger.debug({ redis: this.where }, 'redis connection replaced (REDIS_CON_MAX_LIFETIME)');
    await quit(old);
  }

  private *all(): Iterable<Connection> {
    yield this.commands;
    yield* this.readers.keys();
  }

  private create(role: keyof typeof CONNECTION_NAMES, commandTimeoutMs?: number): Connection {
    const onError = (err: Error): void => {
      if (role === 'commands') {
        this.lastError = err;
      }
      this.logger.debug({ err: withoutCommand(err), role }, 'redis error');
    };
    return openConnection(this.settings, this.target, role, onError, commandTimeoutMs);
  }
}
