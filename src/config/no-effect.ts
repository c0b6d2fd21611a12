import type { EnvInput, EnvVars } from './env-vars.js';

/**
 * go-redis pool settings that have nothing to act on here: ioredis pipelines every command over
 * one connection per Redis node, so nothing ever waits for a connection or sits idle in a pool.
 */
const POOL_ONLY: Readonly<Record<string, string>> = {
  REDIS_POOL_TIMEOUT_SECONDS:
    'no effect: commands never wait for a free connection (one pipelined connection per node); REDIS_READ_TIMEOUT_SECONDS bounds each command',
  REDIS_MIN_IDLE_CONNS:
    'no effect: the one command connection stays open at all times and no spare connections are opened',
  REDIS_MAX_IDLE_CONNS: 'no effect: there are no idle spare connections to limit',
  REDIS_CON_MAX_IDLE_TIME_MINUTES:
    'no effect: no connection is ever idle (the cache is checked every 2 s; stream readers always wait in XREAD)',
};

/**
 * Settings of other Harness versions (V1, and releases newer than the V2 docs) that ff-relay does
 * not read, and what it does instead.
 */
export const NOT_READ: Readonly<Record<string, string>> = {
  API_KEYS:
    'Relay Proxy V1 only, not read: SDK keys come from the proxy key (online) or auth_config.json (offline)',
  FLAG_STREAM_ENABLED:
    'Relay Proxy V1 only, not read: ff-relay always streams from Harness and polls every UPSTREAM_POLL_INTERVAL while the stream is down',
  FLAG_POLL_INTERVAL: 'Relay Proxy V1 only, not read: see UPSTREAM_POLL_INTERVAL',
  TARGET_POLL_DURATION:
    'Relay Proxy V1 only, not read: targets are not polled; FORWARD_TARGETS sends them to Harness',
  SDK_BASE_URL: 'Relay Proxy V1 only, not read: use CLIENT_SERVICE',
  SDK_EVENTS_URL: 'Relay Proxy V1 only, not read: use METRIC_SERVICE',
  DEBUG: 'Relay Proxy V1 only, not read: use LOG_LEVEL=DEBUG',
  LEGACY_SECRETS:
    'not read: rotate AUTH_SECRET through the Admin API instead (tokens of the previous secret stay valid for a grace period)',
  REDIS_TLS_ENABLED: 'not read: a rediss:// REDIS_ADDRESS turns TLS on',
  REDIS_TLS_MODE: 'not read: a rediss:// REDIS_ADDRESS turns TLS on; no client certificates',
  REDIS_TLS_CA_CERT: 'not read: trust a private CA with NODE_EXTRA_CA_CERTS',
  REDIS_TLS_CLIENT_CERT: 'not read: client certificates (mTLS) are not supported',
  REDIS_TLS_CLIENT_KEY: 'not read: client certificates (mTLS) are not supported',
  REDIS_TLS_INSECURE_SKIP_VERIFY: 'not read: the server certificate is always verified',
  REDIS_TLS_SERVER_NAME: 'not read: the TLS server name is the host of REDIS_ADDRESS',
};

/**
 * Every setting that was given but changes nothing here, with what ff-relay does instead: the
 * one startup warning, so no setting is dropped silently.
 */
export function noEffect(env: EnvVars, input: EnvInput): Record<string, string> {
  const given = (name: string): boolean => {
    const value = name in POOL_ONLY ? env[name as keyof EnvVars] : input[name];
    return value !== undefined && value !== '';
  };
  return Object.fromEntries(
    Object.entries({ ...POOL_ONLY, ...NOT_READ }).filter(([name]) => given(name)),
  );
}
