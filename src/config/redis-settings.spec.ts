import { availableParallelism } from 'node:os';
import { ConfigError, loadConfig } from './load-config.js';

const BASE = { PROXY_KEY: 'pk', REDIS_ADDRESS: 'x:1', AUTH_SECRET: 's' };

function redisOf(env: Record<string, string>) {
  return loadConfig({ ...BASE, ...env }).redis;
}

function errorOf(env: Record<string, string>): string {
  try {
    loadConfig({ ...BASE, ...env });
  } catch (err) {
    return err instanceof ConfigError ? err.message : `not a ConfigError: ${String(err)}`;
  }
  throw new Error('expected a ConfigError');
}

describe('Redis settings (loadConfig)', () => {
  it('applies the defaults of the Harness V2 docs', () => {
    expect(redisOf({})).toMatchObject({
      connectTimeoutMs: 5_000,
      commandTimeoutMs: 3_000,
      writeTimeoutMs: 3_000,
      maxRetriesPerRequest: 3,
      minRetryBackoffMs: 8,
      maxRetryBackoffMs: 512,
      maxConnections: { count: 10 * availableParallelism(), variable: 'REDIS_POOL_SIZE' },
      connMaxLifetimeMs: 0,
      startupTimeoutMs: 60_000,
    });
  });

  it('reads each documented variable as a plain integer in its documented unit', () => {
    expect(
      redisOf({
        REDIS_DIAL_TIMEOUT_SECONDS: '10',
        REDIS_READ_TIMEOUT_SECONDS: '7',
        REDIS_WRITE_TIMEOUT_SECONDS: '2',
        REDIS_MAX_RETRIES: '5',
        REDIS_MIN_RETRY_BACKOFF_MILLIS: '20',
        REDIS_MAX_RETRY_BACKOFF_MILLIS: '900',
        REDIS_CON_MAX_LIFETIME_MINUTES: '15',
        REDIS_POOL_SIZE_LITERAL: '4',
      }),
    ).toMatchObject({
      connectTimeoutMs: 10_000,
      commandTimeoutMs: 7_000,
      writeTimeoutMs: 2_000,
      maxRetriesPerRequest: 5,
      minRetryBackoffMs: 20,
      maxRetryBackoffMs: 900,
      connMaxLifetimeMs: 15 * 60_000,
      maxConnections: { count: 4, variable: 'REDIS_POOL_SIZE_LITERAL' },
    });
  });

  it('reads 0 as the default for a time limit and -1 as "off", as go-redis does', () => {
    expect(
      redisOf({
        REDIS_DIAL_TIMEOUT_SECONDS: '0',
        REDIS_READ_TIMEOUT_SECONDS: '4',
        REDIS_WRITE_TIMEOUT_SECONDS: '0',
        REDIS_MAX_RETRIES: '-1',
        REDIS_MIN_RETRY_BACKOFF_MILLIS: '-1',
        REDIS_CON_MAX_IDLE_TIME_MINUTES: '-1',
      }),
    ).toMatchObject({
      connectTimeoutMs: 5_000,
      writeTimeoutMs: 4_000,
      maxRetriesPerRequest: 0,
      minRetryBackoffMs: 0,
    });
    expect(redisOf({ REDIS_MAX_RETRIES: '0' })?.maxRetriesPerRequest).toBe(0);
  });

  it('caps the connections by the pool size per CPU, the literal pool size or REDIS_MAX_ACTIVE_CONNS', () => {
    expect(redisOf({ REDIS_POOL_SIZE: '1' })?.maxConnections).toEqual({
      count: availableParallelism(),
      variable: 'REDIS_POOL_SIZE',
    });
    expect(
      redisOf({ REDIS_POOL_SIZE_LITERAL: '8', REDIS_MAX_ACTIVE_CONNS: '3' })?.maxConnections,
    ).toEqual({ count: 3, variable: 'REDIS_MAX_ACTIVE_CONNS' });
    expect(
      redisOf({ REDIS_POOL_SIZE_LITERAL: '2', REDIS_MAX_ACTIVE_CONNS: '3' })?.maxConnections,
    ).toEqual({ count: 2, variable: 'REDIS_POOL_SIZE_LITERAL' });
  });

  it('keeps the earlier Go-duration names as aliases, refusing two different values', () => {
    expect(
      redisOf({
        REDIS_DIAL_TIMEOUT: '250ms',
        REDIS_READ_TIMEOUT: '1.5s',
        REDIS_MIN_RETRY_BACKOFF: '10ms',
        REDIS_MAX_RETRY_BACKOFF: '1s',
      }),
    ).toMatchObject({
      connectTimeoutMs: 250,
      commandTimeoutMs: 1_500,
      minRetryBackoffMs: 10,
      maxRetryBackoffMs: 1_000,
    });
    expect(redisOf({ REDIS_READ_TIMEOUT: '3s', REDIS_READ_TIMEOUT_SECONDS: '3' })).toMatchObject({
      commandTimeoutMs: 3_000,
    });
    expect(errorOf({ REDIS_DIAL_TIMEOUT: '5s', REDIS_DIAL_TIMEOUT_SECONDS: '10' })).toBe(
      'Invalid configuration: REDIS_DIAL_TIMEOUT and REDIS_DIAL_TIMEOUT_SECONDS are both set, to different values: set one',
    );
    expect(
      errorOf({ REDIS_MAX_RETRY_BACKOFF: '1s', REDIS_MAX_RETRY_BACKOFF_MILLIS: '512' }),
    ).toContain('REDIS_MAX_RETRY_BACKOFF and REDIS_MAX_RETRY_BACKOFF_MILLIS are both set');
  });

  it('names a malformed value without printing it: a Go duration is no number of seconds', () => {
    const message = errorOf({
      REDIS_DIAL_TIMEOUT_SECONDS: '10s',
      REDIS_READ_TIMEOUT: '3',
      REDIS_MAX_RETRIES: '-2',
      REDIS_CON_MAX_IDLE_TIME_MINUTES: '1.5',
    });
    expect(message).toContain('REDIS_DIAL_TIMEOUT_SECONDS must be a non-negative integer');
    expect(message).toContain('REDIS_READ_TIMEOUT must be a Go duration');
    expect(message).toContain('REDIS_MAX_RETRIES must be a non-negative integer or -1');
    expect(message).toContain('REDIS_CON_MAX_IDLE_TIME_MINUTES');
    expect(message).not.toMatch(/10s|-2|1\.5/);
  });

  it('refuses a time no timer can hold', () => {
    expect(errorOf({ REDIS_READ_TIMEOUT_SECONDS: '9999999' })).toBe(
      'Invalid configuration: REDIS_READ_TIMEOUT_SECONDS is too large (24 days at most)',
    );
  });
});
