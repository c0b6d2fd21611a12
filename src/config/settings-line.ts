import { fingerprint } from '../common/fingerprint.js';
import type { AppConfigValues, SettingValue } from './app-config.js';
import { BOOL_PATTERN, type EnvVars } from './env-vars.js';

/** Earlier or Go-code spellings, accepted for the documented name they point to. */
export const ALIASES: Readonly<Record<string, string>> = {
  REDIS_DIAL_TIMEOUT: 'REDIS_DIAL_TIMEOUT_SECONDS',
  REDIS_READ_TIMEOUT: 'REDIS_READ_TIMEOUT_SECONDS',
  REDIS_MIN_RETRY_BACKOFF: 'REDIS_MIN_RETRY_BACKOFF_MILLIS',
  REDIS_MAX_RETRY_BACKOFF: 'REDIS_MAX_RETRY_BACKOFF_MILLIS',
  METRIC_STREAM_READ_CONCURRENCY: 'METRICS_STREAM_READ_CONCURRENCY',
};

/** ff-relay's own Go-duration settings and their defaults. */
export const DURATION_DEFAULTS = {
  HTTP_IDLE_TIMEOUT: '60s',
  SHUTDOWN_TIMEOUT: '25s',
  HTTP_REQUEST_TIMEOUT: '30s',
} as const;

type Built = Omit<AppConfigValues, 'startup'>;

/**
 * The effective value of every setting, keyed by its documented variable name, in its documented
 * unit, defaults included (what the Harness proxy logs as `service config`). Secrets appear as a
 * fingerprint (the SDK-token secret and the proxy key, so instances can be compared) or as
 * set/unset; credentials in URLs are masked.
 */
export function settingsLine(
  env: EnvVars,
  config: Built,
  redis: Record<string, SettingValue>,
): Record<string, SettingValue> {
  return {
    PROXY_KEY: fingerprintOrUnset(env.PROXY_KEY),
    AUTH_SECRET: fingerprintOrUnset(env.AUTH_SECRET),
    CLIENT_SERVICE: withoutPassword(config.upstream.clientService),
    METRIC_SERVICE: withoutPassword(config.upstream.metricService),
    READ_REPLICA: bool(env.READ_REPLICA),
    OFFLINE: bool(env.OFFLINE),
    CONFIG_DIR: config.offline.configDir,
    GENERATE_OFFLINE_CONFIG: bool(env.GENERATE_OFFLINE_CONFIG),
    REDIS_ADDRESS: withoutPassword(env.REDIS_ADDRESS ?? ''),
    REDIS_USERNAME: env.REDIS_USERNAME ?? '',
    REDIS_PASSWORD: setOrUnset(env.REDIS_PASSWORD),
    REDIS_DB: Number(env.REDIS_DB ?? 0),
    ...redis,
    PORT: config.server.port,
    PROMETHEUS_PORT: config.server.prometheusPort,
    TLS_ENABLED: config.server.tls.enabled,
    TLS_CERT: config.server.tls.cert,
    TLS_KEY: config.server.tls.key,
    METRIC_POST_DURATION: config.sdkMetrics.postDurationSeconds,
    HEARTBEAT_INTERVAL: config.heartbeatIntervalSeconds,
    FORWARD_TARGETS: config.upstream.forwardTargets,
    BYPASS_AUTH: config.auth.bypass,
    ADMIN_SERVICE: withoutPassword(config.admin.service),
    ADMIN_SERVICE_TOKEN: setOrUnset(env.ADMIN_SERVICE_TOKEN),
    PROXY_KEY_IDENTIFIER: env.PROXY_KEY_IDENTIFIER ?? '',
    ACCOUNT_IDENTIFIER: env.ACCOUNT_IDENTIFIER ?? '',
    ORG_IDENTIFIER: env.ORG_IDENTIFIER ?? '',
    ADMIN_API_TOKEN: setOrUnset(env.ADMIN_API_TOKEN),
    TRUSTED_PROXIES: env.TRUSTED_PROXIES ?? '',
    LOG_LEVEL: config.log.level.toUpperCase(),
    METRICS_STREAM_MAX_LEN: config.sdkMetrics.streamMaxLen,
    METRICS_STREAM_READ_CONCURRENCY: config.sdkMetrics.streamReadConcurrency,
    AND_RULES: config.compat.andRules,
    PPROF: config.profiling.pprof,
    PPROF_PORT: config.profiling.pprofPort,
    GCP_PROFILER_ENABLED: config.profiling.gcp,
    ENV: config.profiling.env ?? '',
    BODY_LIMIT_BYTES: config.server.bodyLimitBytes,
    JSON_EVALUATION_DOUBLE_ENCODE: config.compat.jsonEvaluationDoubleEncode,
    SSE_HEARTBEAT_INTERVAL: config.sdkStreams.heartbeatSeconds,
    SDK_STREAM_LIMIT: config.sdkStreams.limit,
    SDK_STREAM_MAX_AGE: env.SDK_STREAM_MAX_AGE ?? '0',
    UPSTREAM_POLL_INTERVAL: config.sync.pollIntervalMs / 1000,
    UPSTREAM_STREAM_TIMEOUT: config.sync.streamTimeoutMs / 1000,
    HTTP_IDLE_TIMEOUT: env.HTTP_IDLE_TIMEOUT ?? DURATION_DEFAULTS.HTTP_IDLE_TIMEOUT,
    SHUTDOWN_TIMEOUT: env.SHUTDOWN_TIMEOUT ?? DURATION_DEFAULTS.SHUTDOWN_TIMEOUT,
    AUTH_RATE_LIMIT: config.auth.rateLimitPerMinute,
    HTTP_REQUEST_TIMEOUT: env.HTTP_REQUEST_TIMEOUT ?? DURATION_DEFAULTS.HTTP_REQUEST_TIMEOUT,
    NODE_ENV: env.NODE_ENV ?? '',
    ACCESS_LOG: config.log.accessLog,
    LOG_FORMAT: config.log.pretty ? 'pretty' : 'json',
  };
}

/** Go's `strconv.ParseBool` true values (the pattern has already refused anything else). */
export function bool(value: string | undefined): boolean {
  return value !== undefined && BOOL_PATTERN.test(value) && /^(1|t|true)$/i.test(value);
}

function fingerprintOrUnset(secret: string | undefined): string {
  return secret ? `sha256:${fingerprint(secret)}` : 'unset';
}

function setOrUnset(secret: string | undefined): string {
  return secret ? 'set' : 'unset';
}

/** `redis://user:pw@host` and `https://user:pw@host` keep the user, never the password. */
function withoutPassword(address: string): string {
  return address.replace(/(\/\/[^/@:,]*):[^/@,]*@/g, '$1:***@');
}
