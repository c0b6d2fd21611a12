import { randomBytes } from 'node:crypto';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { AppConfig, type AppConfigValues, type ProxyMode } from './app-config.js';
import { EnvVars, type EnvInput } from './env-vars.js';
import { parseGoDuration } from './go-duration.js';
import { parseTrustedProxies, type TrustedProxies } from './trusted-proxies.js';
import { logLevelOf } from './log-level.js';
import { noEffect } from './no-effect.js';
import { redisSettings } from './redis-settings.js';
import { bool, DURATION_DEFAULTS, settingsLine } from './settings-line.js';

export const DEFAULT_CLIENT_SERVICE = 'https://config.ff.harness.io/api/1.0';
export const DEFAULT_METRIC_SERVICE = 'https://events.ff.harness.io/api/1.0';
export const DEFAULT_ADMIN_SERVICE = 'https://harness.io/gateway/cf';
/**
 * 10,000 streams at ~6.5 KiB each are ~65 MiB above the process's base, which fits the chart's
 * 512 MiB memory limit with room for polling traffic; an instance that holds more than its memory
 * allows is killed and drops every stream at once, while a refused SDK just polls.
 */
export const DEFAULT_SDK_STREAM_LIMIT = 10_000;
/**
 * Long enough that reconnects cost little (each SDK reconnects, and the Node SDK polls once, every
 * ~34 min), short enough that replicas added by an autoscaler fill within the hour.
 */
/**
 * Off, as with Harness: ending a stream costs every SDK a reconnect, a poll and (Node SDK) an
 * error line in the application's log, which only a fleet that scales or rolls often gains from.
 */
export const DEFAULT_SDK_STREAM_MAX_AGE_MS = 0;

/** Thrown at boot; the message names every bad variable and never a value. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Validates environment variables once and maps them into the typed {@link AppConfig}.
 * Tests call it with explicit overrides instead of touching `process.env`.
 */
export function loadConfig(input: EnvInput = {}): AppConfig {
  const env = validate(input);
  const problems: string[] = [];
  const redis = redisSettings(env, problems);
  const values: Omit<AppConfigValues, 'startup'> = {
    ...modeOf(env),
    server: {
      port: int(env.PORT, 7000),
      prometheusPort: int(env.PROMETHEUS_PORT ?? env.PORT, 7000),
      bodyLimitBytes: int(env.BODY_LIMIT_BYTES, 1024 * 1024),
      idleTimeoutMs: Math.max(
        1,
        duration(env.HTTP_IDLE_TIMEOUT, DURATION_DEFAULTS.HTTP_IDLE_TIMEOUT),
      ),
      requestTimeoutMs: Math.max(
        1,
        duration(env.HTTP_REQUEST_TIMEOUT, DURATION_DEFAULTS.HTTP_REQUEST_TIMEOUT),
      ),
      shutdownTimeoutMs: Math.max(
        1,
        duration(env.SHUTDOWN_TIMEOUT, DURATION_DEFAULTS.SHUTDOWN_TIMEOUT),
      ),
      trustedProxies: trustedProxiesOf(env, problems),
      tls: { enabled: bool(env.TLS_ENABLED), cert: env.TLS_CERT ?? '', key: env.TLS_KEY ?? '' },
    },
    auth: authOf(env, problems),
    admin: {
      token: env.ADMIN_API_TOKEN,
      service: trimSlash(env.ADMIN_SERVICE ?? DEFAULT_ADMIN_SERVICE),
      serviceToken: env.ADMIN_SERVICE_TOKEN,
      proxyKeyIdentifier: env.PROXY_KEY_IDENTIFIER,
      accountIdentifier: env.ACCOUNT_IDENTIFIER,
      orgIdentifier: env.ORG_IDENTIFIER,
    },
    upstream: {
      proxyKey: env.PROXY_KEY ?? '',
      clientService: trimSlash(env.CLIENT_SERVICE ?? DEFAULT_CLIENT_SERVICE),
      metricService: trimSlash(env.METRIC_SERVICE ?? DEFAULT_METRIC_SERVICE),
      forwardTargets: bool(env.FORWARD_TARGETS),
    },
    redis: env.REDIS_ADDRESS
      ? {
          address: env.REDIS_ADDRESS,
          username: env.REDIS_USERNAME,
          password: env.REDIS_PASSWORD,
          db: int(env.REDIS_DB, 0),
          ...redis.timing,
        }
      : null,
    offline: { configDir: env.CONFIG_DIR ?? 'config' },
    sync: {
      pollIntervalMs: Math.max(1, int(env.UPSTREAM_POLL_INTERVAL, 60)) * 1000,
      streamTimeoutMs: Math.max(1, int(env.UPSTREAM_STREAM_TIMEOUT, 60)) * 1000,
    },
    sdkMetrics: {
      postDurationSeconds: int(env.METRIC_POST_DURATION, 60),
      streamMaxLen: int(env.METRICS_STREAM_MAX_LEN, 1000),
      streamReadConcurrency: readConcurrency(env, problems),
    },
    compat: {
      jsonEvaluationDoubleEncode: bool(env.JSON_EVALUATION_DOUBLE_ENCODE),
      andRules: env.AND_RULES === undefined || bool(env.AND_RULES),
    },
    profiling: {
      pprof: bool(env.PPROF),
      pprofPort: int(env.PPROF_PORT, 6060),
      gcp: bool(env.GCP_PROFILER_ENABLED),
      env: env.ENV,
    },
    heartbeatIntervalSeconds: int(env.HEARTBEAT_INTERVAL, 60),
    sdkStreams: {
      heartbeatSeconds: Math.max(1, Math.min(int(env.SSE_HEARTBEAT_INTERVAL, 15), 15)),
      limit: int(env.SDK_STREAM_LIMIT, DEFAULT_SDK_STREAM_LIMIT),
      maxAgeMs: duration(env.SDK_STREAM_MAX_AGE, DEFAULT_SDK_STREAM_MAX_AGE_MS),
    },
    log: {
      level: logLevelOf(env.LOG_LEVEL),
      pretty: env.LOG_FORMAT === 'pretty',
      accessLog: env.ACCESS_LOG === undefined || bool(env.ACCESS_LOG),
    },
  };
  const config = new AppConfig({
    ...values,
    startup: {
      settings: settingsLine(env, values, redis.shown),
      noEffect: noEffect(env, input),
    },
  });
  checkRequired(config, problems, env);
  if (problems.length > 0) {
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  return config;
}

function validate(input: EnvInput): EnvVars {
  // Harness ignores empty variables, so they must not override defaults or fail validation.
  const present = Object.fromEntries(
    Object.entries(input).filter(([, value]) => value !== undefined && value !== ''),
  );
  const env = plainToInstance(EnvVars, present, { excludeExtraneousValues: false });
  const errors = validateSync(env, { forbidUnknownValues: false });
  if (errors.length > 0) {
    const names = errors.map((e) => `${e.property} ${Object.values(e.constraints ?? {})[0]}`);
    throw new ConfigError(`Invalid configuration: ${names.join('; ')}`);
  }
  return env;
}

function modeOf(env: EnvVars): { mode: ProxyMode; implicitOffline: boolean } {
  if (bool(env.GENERATE_OFFLINE_CONFIG)) {
    return { mode: 'generate-offline-config', implicitOffline: false };
  }
  if (bool(env.READ_REPLICA)) {
    return { mode: 'replica', implicitOffline: false };
  }
  if (bool(env.OFFLINE)) {
    return { mode: 'offline', implicitOffline: false };
  }
  return env.PROXY_KEY
    ? { mode: 'primary', implicitOffline: false }
    : { mode: 'offline', implicitOffline: true };
}

function authOf(env: EnvVars, problems: string[]): AppConfig['auth'] {
  const bypass = bool(env.BYPASS_AUTH);
  if (env.AUTH_SECRET) {
    return {
      secret: env.AUTH_SECRET,
      secretIsEphemeral: false,
      bypass,
      rateLimitPerMinute: int(env.AUTH_RATE_LIMIT, 6_000),
    };
  }
  // Instances sharing a Redis must verify each other's tokens, so a shared secret is required.
  if (env.REDIS_ADDRESS) {
    problems.push('AUTH_SECRET is required when REDIS_ADDRESS is set');
  }
  return {
    secret: randomBytes(32).toString('hex'),
    secretIsEphemeral: true,
    bypass,
    rateLimitPerMinute: int(env.AUTH_RATE_LIMIT, 6_000),
  };
}

function trustedProxiesOf(env: EnvVars, problems: string[]): TrustedProxies {
  const parsed = parseTrustedProxies(env.TRUSTED_PROXIES);
  if (parsed === undefined) {
    problems.push(
      'TRUSTED_PROXIES must be a hop count or comma-separated addresses or CIDRs (or loopback, linklocal, uniquelocal)',
    );
  }
  return parsed ?? [];
}

function checkRequired(config: AppConfig, problems: string[], env: EnvVars): void {
  // A Secret that failed to mount must not turn a production relay into a demo.
  if (config.implicitOffline && env.NODE_ENV === 'production') {
    problems.push(
      'PROXY_KEY is required with NODE_ENV=production (set OFFLINE=true to serve CONFIG_DIR)',
    );
  }
  if (config.mode === 'replica' && !config.redis) {
    problems.push('REDIS_ADDRESS is required when READ_REPLICA=true');
  }
  if (config.mode === 'generate-offline-config' && !config.upstream.proxyKey) {
    problems.push('PROXY_KEY is required when GENERATE_OFFLINE_CONFIG=true');
  }
  if (config.server.tls.enabled && (!config.server.tls.cert || !config.server.tls.key)) {
    problems.push('TLS_CERT and TLS_KEY are required when TLS_ENABLED=true');
  }
}

function int(value: string | undefined, fallback: number): number {
  return value === undefined ? fallback : Number.parseInt(value, 10);
}

/** Milliseconds of a Go duration, or of the fallback (milliseconds, or a Go duration itself). */
function duration(value: string | undefined, fallback: number | string): number {
  const fallbackMs = typeof fallback === 'string' ? (parseGoDuration(fallback) ?? 0) : fallback;
  return value === undefined ? fallbackMs : (parseGoDuration(value) ?? fallbackMs);
}

/** The docs spell it METRICS_…, the Go code METRIC_…: either, but not two different values. */
function readConcurrency(env: EnvVars, problems: string[]): number {
  const docs = env.METRICS_STREAM_READ_CONCURRENCY;
  const go = env.METRIC_STREAM_READ_CONCURRENCY;
  if (docs !== undefined && go !== undefined && int(docs, 0) !== int(go, 0)) {
    problems.push(
      'METRIC_STREAM_READ_CONCURRENCY and METRICS_STREAM_READ_CONCURRENCY are both set, to different values: set one',
    );
  }
  return int(docs ?? go, 10);
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
