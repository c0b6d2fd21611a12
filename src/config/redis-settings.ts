import { availableParallelism } from 'node:os';
import type { RedisConfig, SettingValue } from './app-config.js';
import type { EnvVars } from './env-vars.js';
import { parseGoDuration } from './go-duration.js';

/** Node's timers hold at most this (about 24.8 days); a longer one fires at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

type Timing = Omit<RedisConfig, 'address' | 'username' | 'password' | 'db'>;

/**
 * The Redis settings of the Harness V2 docs, in their units and with their defaults, mapped onto
 * ioredis (docs/migrating-from-harness-relay-proxy.md says what each does here). ff-relay's
 * earlier Go-duration names stay as aliases; an alias and its documented name set to different
 * values is an error.
 */
export function redisSettings(
  env: EnvVars,
  problems: string[],
): { timing: Timing; shown: Record<string, SettingValue> } {
  const read = new Reader(env, problems);
  const dialMs = read.timer('REDIS_DIAL_TIMEOUT_SECONDS', 1000, 'REDIS_DIAL_TIMEOUT') || 5_000;
  const readMs = read.timer('REDIS_READ_TIMEOUT_SECONDS', 1000, 'REDIS_READ_TIMEOUT') || 3_000;
  // As go-redis: a zero time limit means the default (for writes: the read timeout).
  const writeSet = read.timer('REDIS_WRITE_TIMEOUT_SECONDS', 1000);
  const writeMs = env.REDIS_WRITE_TIMEOUT_SECONDS === undefined ? 3_000 : writeSet || readMs;
  const minBackoff = read.timer('REDIS_MIN_RETRY_BACKOFF_MILLIS', 1, 'REDIS_MIN_RETRY_BACKOFF', 8);
  const maxBackoff = read.timer(
    'REDIS_MAX_RETRY_BACKOFF_MILLIS',
    1,
    'REDIS_MAX_RETRY_BACKOFF',
    512,
  );
  const retries = Math.max(0, count(env.REDIS_MAX_RETRIES, 3));
  const lifetimeMs = read.timer('REDIS_CON_MAX_LIFETIME_MINUTES', 60_000);
  const poolSize = count(env.REDIS_POOL_SIZE, 10);
  const literal = count(env.REDIS_POOL_SIZE_LITERAL, 0);
  const maxActive = count(env.REDIS_MAX_ACTIVE_CONNS, 0);
  const timing: Timing = {
    connectTimeoutMs: dialMs,
    commandTimeoutMs: readMs,
    writeTimeoutMs: writeMs,
    maxRetriesPerRequest: retries,
    minRetryBackoffMs: Math.max(0, minBackoff),
    maxRetryBackoffMs: Math.max(0, maxBackoff),
    maxConnections: connectionLimit(literal, poolSize, maxActive),
    connMaxLifetimeMs: lifetimeMs,
    startupTimeoutMs: durationOf(env.REDIS_STARTUP_TIMEOUT, 60_000),
  };
  const shown: Record<string, SettingValue> = {
    REDIS_MAX_RETRIES: retries,
    REDIS_MIN_RETRY_BACKOFF_MILLIS: timing.minRetryBackoffMs,
    REDIS_MAX_RETRY_BACKOFF_MILLIS: timing.maxRetryBackoffMs,
    REDIS_DIAL_TIMEOUT_SECONDS: dialMs / 1000,
    REDIS_READ_TIMEOUT_SECONDS: readMs / 1000,
    REDIS_WRITE_TIMEOUT_SECONDS: writeMs / 1000,
    REDIS_POOL_SIZE: poolSize,
    REDIS_POOL_SIZE_LITERAL: literal,
    REDIS_POOL_TIMEOUT_SECONDS: count(env.REDIS_POOL_TIMEOUT_SECONDS, 4),
    REDIS_MIN_IDLE_CONNS: count(env.REDIS_MIN_IDLE_CONNS, 0),
    REDIS_MAX_IDLE_CONNS: count(env.REDIS_MAX_IDLE_CONNS, 0),
    REDIS_MAX_ACTIVE_CONNS: maxActive,
    REDIS_CON_MAX_IDLE_TIME_MINUTES: count(env.REDIS_CON_MAX_IDLE_TIME_MINUTES, 30),
    REDIS_CON_MAX_LIFETIME_MINUTES: lifetimeMs / 60_000,
    REDIS_STARTUP_TIMEOUT: env.REDIS_STARTUP_TIMEOUT ?? '1m',
  };
  return { timing, shown };
}

/**
 * The most connections ff-relay may open to one Redis node. As in the Harness proxy the pool is
 * REDIS_POOL_SIZE_LITERAL, else REDIS_POOL_SIZE per CPU (0: 10 per CPU); REDIS_MAX_ACTIVE_CONNS
 * (0: none) caps it too.
 */
function connectionLimit(
  literal: number,
  poolSize: number,
  maxActive: number,
): RedisConfig['maxConnections'] {
  const pool =
    literal > 0
      ? { count: literal, variable: 'REDIS_POOL_SIZE_LITERAL' }
      : { count: (poolSize || 10) * availableParallelism(), variable: 'REDIS_POOL_SIZE' };
  return maxActive > 0 && maxActive < pool.count
    ? { count: maxActive, variable: 'REDIS_MAX_ACTIVE_CONNS' }
    : pool;
}

class Reader {
  constructor(
    private readonly env: EnvVars,
    private readonly problems: string[],
  ) {}

  /**
   * A time in milliseconds from `name` (an integer of `unitMs`) or its Go-duration `alias`;
   * `fallback` when neither is set, -1 as 0 (go-redis's "off").
   */
  timer(name: keyof EnvVars, unitMs: number, alias?: keyof EnvVars, fallback = 0): number {
    const given = this.env[name];
    const documented = given === undefined ? undefined : Math.max(0, Number(given)) * unitMs;
    const aliased = alias ? durationOrUndefined(this.env[alias]) : undefined;
    if (documented !== undefined && aliased !== undefined && documented !== aliased) {
      this.problems.push(`${alias} and ${name} are both set, to different values: set one`);
    }
    const ms = documented ?? aliased ?? fallback;
    if (ms > MAX_TIMER_MS) {
      const set = documented === undefined ? alias : name;
      this.problems.push(`${set} is too large (24 days at most)`);
    }
    return ms;
  }
}

function count(value: string | undefined, fallback: number): number {
  return value === undefined ? fallback : Number.parseInt(value, 10);
}

function durationOrUndefined(value: string | undefined): number | undefined {
  return value === undefined ? undefined : parseGoDuration(value);
}

function durationOf(value: string | undefined, fallbackMs: number): number {
  return durationOrUndefined(value) ?? fallbackMs;
}
