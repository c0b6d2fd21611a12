import { ConfigError, loadConfig } from './load-config.js';

describe('loadConfig', () => {
  it('applies the Harness defaults, except PORT 7000 and no default secret', () => {
    const config = loadConfig({ PROXY_KEY: 'pk' });
    expect(config.mode).toBe('primary');
    expect(config.server.port).toBe(7000);
    expect(config.server.prometheusPort).toBe(7000);
    expect(config.upstream.clientService).toBe('https://config.ff.harness.io/api/1.0');
    expect(config.upstream.metricService).toBe('https://events.ff.harness.io/api/1.0');
    expect(config.sdkMetrics.postDurationSeconds).toBe(60);
    expect(config.heartbeatIntervalSeconds).toBe(60);
    expect(config.redis).toBeNull();
    expect(config.auth.secretIsEphemeral).toBe(true);
    expect(config.auth.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(config.log.level).toBe('info');
  });

  it('serves the offline config directory when no PROXY_KEY is given (zero-setup default)', () => {
    const config = loadConfig({});
    expect(config.mode).toBe('offline');
    expect(config.implicitOffline).toBe(true);
    expect(config.offline.configDir).toBe('config');
  });

  it.each([
    [{ OFFLINE: 'true', PROXY_KEY: 'pk' }, 'offline'],
    [{ READ_REPLICA: 'T', REDIS_ADDRESS: 'localhost:6379', AUTH_SECRET: 's' }, 'replica'],
    [{ GENERATE_OFFLINE_CONFIG: '1', PROXY_KEY: 'pk' }, 'generate-offline-config'],
  ])('derives the mode from %o', (env, mode) => {
    expect(loadConfig(env).mode).toBe(mode);
  });

  it.each(['1', 't', 'T', 'TRUE', 'true', 'True'])('accepts %s as true like Go ParseBool', (v) => {
    expect(loadConfig({ PROXY_KEY: 'pk', FORWARD_TARGETS: v }).upstream.forwardTargets).toBe(true);
  });

  it.each(['0', 'f', 'F', 'FALSE', 'false', 'False'])('accepts %s as false', (v) => {
    expect(loadConfig({ PROXY_KEY: 'pk', FORWARD_TARGETS: v }).upstream.forwardTargets).toBe(false);
  });

  it('ignores empty variables, as Harness does', () => {
    expect(loadConfig({ PORT: '', PROXY_KEY: 'pk' }).server.port).toBe(7000);
  });

  it('names every bad variable in one error and never prints a value', () => {
    const secretish = 'yes-please-9f8e7d';
    const error = captureError(() =>
      loadConfig({ PORT: 'abc', READ_REPLICA: secretish, METRIC_POST_DURATION: '-1' }),
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain('PORT');
    expect(error.message).toContain('READ_REPLICA');
    expect(error.message).toContain('METRIC_POST_DURATION');
    expect(error.message).not.toContain(secretish);
    expect(error.message).not.toContain('abc');
  });

  it('requires a shared AUTH_SECRET when Redis is configured', () => {
    const error = captureError(() => loadConfig({ PROXY_KEY: 'pk', REDIS_ADDRESS: 'x:1' }));
    expect(error.message).toContain('AUTH_SECRET');
  });

  it('requires REDIS_ADDRESS on a read replica and TLS files when TLS is on', () => {
    const error = captureError(() =>
      loadConfig({ READ_REPLICA: 'true', AUTH_SECRET: 's', TLS_ENABLED: 'true' }),
    );
    expect(error.message).toContain('REDIS_ADDRESS');
    expect(error.message).toContain('TLS_CERT');
  });

  it('refuses to fall back to the example config in production, unless OFFLINE is asked for', () => {
    const error = captureError(() => loadConfig({ NODE_ENV: 'production' }));
    expect(error.message).toContain('PROXY_KEY is required with NODE_ENV=production');
    expect(loadConfig({ NODE_ENV: 'production', OFFLINE: 'true' }).mode).toBe('offline');
    expect(loadConfig({ NODE_ENV: 'production', PROXY_KEY: 'pk' }).mode).toBe('primary');
  });

  it('takes every usual LOG_LEVEL in any case and refuses one it cannot map', () => {
    expect(loadConfig({ LOG_LEVEL: 'DEBUG' }).log.level).toBe('debug');
    expect(loadConfig({ LOG_LEVEL: 'debug' }).log.level).toBe('debug');
    expect(loadConfig({ LOG_LEVEL: 'Warning' }).log.level).toBe('warn');
    expect(loadConfig({ LOG_LEVEL: 'warn' }).log.level).toBe('warn');
    expect(loadConfig({ LOG_LEVEL: 'ERROR' }).log.level).toBe('error');
    expect(loadConfig({ LOG_LEVEL: 'trace' }).log.level).toBe('trace');
    expect(loadConfig({ LOG_LEVEL: 'fatal' }).log.level).toBe('fatal');
    expect(loadConfig({}).log.level).toBe('info');
    const error = captureError(() => loadConfig({ LOG_LEVEL: 'verbose' }));
    expect(error.message).toBe(
      'Invalid configuration: LOG_LEVEL must be one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL',
    );
  });

  it('refuses service URLs and Redis addresses it could not use', () => {
    const error = captureError(() =>
      loadConfig({
        CLIENT_SERVICE: 'config.ff.harness.io/api/1.0',
        METRIC_SERVICE: 'ftp://events',
        ADMIN_SERVICE: 'https://',
        REDIS_ADDRESS: 'redis://host:6379/not-a-db',
      }),
    );
    for (const name of ['CLIENT_SERVICE', 'METRIC_SERVICE', 'ADMIN_SERVICE', 'REDIS_ADDRESS']) {
      expect(error.message).toContain(name);
    }
    expect(error.message).not.toContain('not-a-db');
    const fine = loadConfig({
      CLIENT_SERVICE: 'http://emulator_1:8080/api/1.0',
      REDIS_ADDRESS: 'redis-0:6379, rediss://[::1]:6380/2',
      AUTH_SECRET: 's',
    });
    expect(fine.redis?.address).toBe('redis-0:6379, rediss://[::1]:6380/2');
  });

  it('accepts both spellings of the metrics stream read concurrency, the docs one first', () => {
    expect(loadConfig({}).sdkMetrics.streamReadConcurrency).toBe(10);
    const docs = { METRICS_STREAM_READ_CONCURRENCY: '4' };
    expect(loadConfig(docs).sdkMetrics.streamReadConcurrency).toBe(4);
    const go = { METRIC_STREAM_READ_CONCURRENCY: '6' };
    expect(loadConfig(go).sdkMetrics.streamReadConcurrency).toBe(6);
    expect(loadConfig({ ...docs, METRIC_STREAM_READ_CONCURRENCY: '4' }).sdkMetrics).toMatchObject({
      streamReadConcurrency: 4,
    });
    const both = captureError(() => loadConfig({ ...docs, ...go }));
    expect(both.message).toBe(
      'Invalid configuration: METRIC_STREAM_READ_CONCURRENCY and METRICS_STREAM_READ_CONCURRENCY are both set, to different values: set one',
    );
    const zero = captureError(() => loadConfig({ METRICS_STREAM_READ_CONCURRENCY: '0' }));
    expect(zero.message).toContain('METRICS_STREAM_READ_CONCURRENCY must be a positive integer');
  });

  it('bounds SDK streams and ends them by age by default; 0 turns either off', () => {
    expect(loadConfig({}).sdkStreams).toMatchObject({ limit: 10_000, maxAgeMs: 0 });
    const tuned = loadConfig({ SDK_STREAM_LIMIT: '250', SDK_STREAM_MAX_AGE: '1h30m' });
    expect(tuned.sdkStreams).toMatchObject({ limit: 250, maxAgeMs: 90 * 60_000 });
    const off = loadConfig({ SDK_STREAM_LIMIT: '0', SDK_STREAM_MAX_AGE: '0' });
    expect(off.sdkStreams).toMatchObject({ limit: 0, maxAgeMs: 0 });
    expect(loadConfig({ SDK_STREAM_MAX_AGE: '2.5s' }).sdkStreams.maxAgeMs).toBe(2_500);
  });

  it.each([
    ['SDK_STREAM_LIMIT', '-1', 'must be a non-negative integer'],
    ['SDK_STREAM_LIMIT', '1e4', 'must be a non-negative integer'],
    ['SDK_STREAM_MAX_AGE', '30', 'must be a Go duration'],
    ['SDK_STREAM_MAX_AGE', '-5m', 'must be a Go duration'],
  ])('refuses %s=%s at boot', (name, value, message) => {
    expect(captureError(() => loadConfig({ [name]: value })).message).toContain(
      `${name} ${message}`,
    );
  });

  it('refuses an ADMIN_API_TOKEN shorter than 32 characters, never printing it', () => {
    const short = 'x'.repeat(31);
    const message = captureError(() => loadConfig({ ADMIN_API_TOKEN: short })).message;
    expect(message).toContain('ADMIN_API_TOKEN must be at least 32 characters');
    expect(message).not.toContain(short);
    expect(loadConfig({ ADMIN_API_TOKEN: 'x'.repeat(32) }).admin.token).toHaveLength(32);
  });

  it('reads TRUSTED_PROXIES as a hop count or a list, and refuses anything else', () => {
    expect(loadConfig({}).server.trustedProxies).toEqual([]);
    expect(loadConfig({ TRUSTED_PROXIES: '2' }).server.trustedProxies).toBe(2);
    expect(loadConfig({ TRUSTED_PROXIES: '10.0.0.0/8' }).server.trustedProxies).toEqual([
      '10.0.0.0/8',
    ]);
    expect(captureError(() => loadConfig({ TRUSTED_PROXIES: 'ingress' })).message).toContain(
      'TRUSTED_PROXIES must be a hop count',
    );
  });

  it('serves Prometheus on the main port unless PROMETHEUS_PORT differs', () => {
    expect(loadConfig({ PORT: '9000' }).server.prometheusPort).toBe(9000);
    expect(loadConfig({ PORT: '9000', PROMETHEUS_PORT: '9091' }).server.prometheusPort).toBe(9091);
  });
});

function captureError(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}
