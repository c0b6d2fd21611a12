import type { EnvVars } from '../../src/config/env-vars.js';

/** The topics of the index at the top of docs/configuration.md, in this order. */
export const TOPICS = [
  'Mode and upstream',
  'SDK auth and tokens',
  'HTTP server',
  'SDK streams',
  'Redis',
  'Metrics and profiling',
  'Admin API',
  'Logs',
  'Compatibility',
] as const;

export type Topic = (typeof TOPICS)[number];

/**
 * Whether the Harness Relay Proxy V2 reads the variable: `true` (same name, unit and default),
 * `false` (ff-relay only), its different default, or a short note.
 */
export type InHarness = boolean | { default: string } | { note: string };

export interface VariableDoc {
  topic: Topic;
  harness: InHarness;
  /** One or two sentences of Markdown: what the variable does here. */
  meaning: string;
  /** When the effective default at boot would mislead (a secret, a value derived from another). */
  default?: string;
}

/**
 * What each variable of {@link EnvVars} means. Keyed by the class, so a variable added there does
 * not compile until it is described here; names, accepted values and defaults come from the
 * class and from `loadConfig` (scripts/configuration-reference.ts renders them).
 */
export const VARIABLE_DOCS: Readonly<Record<keyof EnvVars, VariableDoc>> = {
  ACCESS_LOG: {
    topic: 'Logs',
    harness: false,
    meaning: 'One `info` line per request; `false` keeps every other log.',
  },
  ACCOUNT_IDENTIFIER: {
    topic: 'Admin API',
    harness: { note: 'V1, another use' },
    meaning: 'The Harness account of the proxy key, for rotations through the Harness admin API.',
  },
  ADMIN_API_TOKEN: {
    topic: 'Admin API',
    harness: false,
    meaning:
      'Enables the Admin API for callers sending it as a Bearer token. Unset: every `/admin` route is a 404.',
  },
  ADMIN_SERVICE: {
    topic: 'Admin API',
    harness: { note: 'V1, another use' },
    meaning: 'The Harness admin API the proxy key is rotated through.',
  },
  ADMIN_SERVICE_TOKEN: {
    topic: 'Admin API',
    harness: { note: 'V1, another use' },
    meaning: 'A Harness platform token allowed to rotate the proxy key.',
  },
  AND_RULES: {
    topic: 'Compatibility',
    harness: { default: 'false' },
    meaning:
      "Target groups' v2 AND rules (`servingRules`) are served to SDKs that ask with `rules=v2` and used in the relay's own evaluations, as Harness does for SDKs it serves directly. `false` is the Go proxy's behaviour: legacy `rules` only. See [decisions/0005](decisions/0005-and-rules-default.md).",
  },
  AUTH_RATE_LIMIT: {
    topic: 'SDK auth and tokens',
    harness: false,
    meaning:
      '`/client/auth` calls per client address per minute, per instance (429 beyond), and as many unknown SDK keys on the OFREP routes (which carry the key on every request); `0` turns both off. Behind a proxy, set `TRUSTED_PROXIES`.',
  },
  AUTH_SECRET: {
    topic: 'SDK auth and tokens',
    harness: { default: 'secret' },
    default: 'random per process',
    meaning:
      'HS256 secret of SDK tokens. Required, and the same on every instance, with `REDIS_ADDRESS`; without Redis a random one is made, so tokens do not survive a restart.',
  },
  BODY_LIMIT_BYTES: {
    topic: 'HTTP server',
    harness: false,
    meaning: 'Largest request body; a larger one gets 413.',
  },
  BYPASS_AUTH: {
    topic: 'SDK auth and tokens',
    harness: true,
    meaning: 'Development only: SDK routes skip the token check.',
  },
  CLIENT_SERVICE: {
    topic: 'Mode and upstream',
    harness: true,
    meaning: 'Base URL of the Harness config API.',
  },
  CONFIG_DIR: {
    topic: 'Mode and upstream',
    harness: { default: '/config' },
    meaning:
      'The offline config directory (read offline, written by `GENERATE_OFFLINE_CONFIG`). Relative by default so a checkout runs as is.',
  },
  ENV: {
    topic: 'Metrics and profiling',
    harness: true,
    meaning:
      'Suffix of the Cloud Profiler service name (`ff-proxy-v2-primary.<ENV>`); nothing else.',
  },
  FORWARD_TARGETS: {
    topic: 'Mode and upstream',
    harness: true,
    meaning: 'Primary: send the targets SDKs authenticate with on to Harness.',
  },
  GCP_PROFILER_ENABLED: {
    topic: 'Metrics and profiling',
    harness: true,
    meaning: 'Google Cloud Profiler, as service `ff-proxy-v2-<primary|replica>[.<ENV>]`.',
  },
  GENERATE_OFFLINE_CONFIG: {
    topic: 'Mode and upstream',
    harness: true,
    meaning: 'Write `CONFIG_DIR` from Harness (needs `PROXY_KEY`), then exit.',
  },
  HEARTBEAT_INTERVAL: {
    topic: 'Mode and upstream',
    harness: true,
    meaning:
      'Seconds between the self health checks logged by the process (an unhealthy answer is an ERROR; a 503 before the first healthy one, a start still loading, a WARN); `0` turns them off.',
  },
  HTTP_IDLE_TIMEOUT: {
    topic: 'HTTP server',
    harness: false,
    meaning:
      'A connection with no byte either way this long is closed (SDK streams get a heartbeat at least every 15 s, so they stay).',
  },
  HTTP_REQUEST_TIMEOUT: {
    topic: 'HTTP server',
    harness: false,
    meaning: 'A request must arrive whole within this; its headers within 10 s at most.',
  },
  JSON_EVALUATION_DOUBLE_ENCODE: {
    topic: 'Compatibility',
    harness: false,
    meaning: "Emulate the Go proxy's double JSON encoding of json-kind evaluation values.",
  },
  LOG_FORMAT: {
    topic: 'Logs',
    harness: false,
    meaning: '`pretty` prints for humans (also on a production install).',
  },
  LOG_LEVEL: {
    topic: 'Logs',
    harness: true,
    meaning:
      'In any case; anything else stops the boot (Harness reads `DEBUG` and `ERROR` case-sensitively and anything else as `INFO`).',
  },
  METRIC_POST_DURATION: {
    topic: 'Metrics and profiling',
    harness: true,
    meaning: 'Seconds between forwards of SDK metrics to Harness; `0` turns forwarding off.',
  },
  METRIC_SERVICE: {
    topic: 'Mode and upstream',
    harness: true,
    meaning: 'Base URL of the Harness metrics API.',
  },
  METRIC_STREAM_READ_CONCURRENCY: {
    topic: 'Metrics and profiling',
    harness: { note: 'yes (Go code spelling)' },
    meaning:
      'Alias of `METRICS_STREAM_READ_CONCURRENCY`; both set to different values stop the boot.',
  },
  METRICS_STREAM_MAX_LEN: {
    topic: 'Metrics and profiling',
    harness: true,
    meaning:
      'Replicas: the `MAXLEN` of their `XADD` to `stream:sdk_metrics`; older messages are trimmed if the primary falls that far behind.',
  },
  METRICS_STREAM_READ_CONCURRENCY: {
    topic: 'Metrics and profiling',
    harness: true,
    meaning:
      'Primary: `stream:sdk_metrics` messages taken per read and decoded before the next (the Go proxy runs this many decoders).',
  },
  NODE_ENV: {
    topic: 'Mode and upstream',
    harness: false,
    meaning:
      '`production` (the image, the chart): a missing `PROXY_KEY` stops the boot unless `OFFLINE=true`, instead of serving the example config.',
  },
  OFFLINE: {
    topic: 'Mode and upstream',
    harness: true,
    meaning: 'Serve `CONFIG_DIR` with no network at all.',
  },
  ORG_IDENTIFIER: {
    topic: 'Admin API',
    harness: { note: 'V1, another use' },
    meaning: 'The Harness organisation of the proxy key, if it has one (for rotations).',
  },
  PORT: {
    topic: 'HTTP server',
    harness: { default: '8000 (7000 in the container)' },
    meaning: 'Port for SDKs, health and (unless `PROMETHEUS_PORT` differs) `/metrics`.',
  },
  PPROF: {
    topic: 'Metrics and profiling',
    harness: true,
    meaning: 'CPU and heap profiles in pprof format on `127.0.0.1:PPROF_PORT` (`/debug/pprof/…`).',
  },
  PPROF_PORT: {
    topic: 'Metrics and profiling',
    harness: false,
    meaning: 'Port of the `PPROF` endpoints (Harness always uses 6060).',
  },
  PROMETHEUS_PORT: {
    topic: 'Metrics and profiling',
    harness: { default: '8000' },
    default: '`PORT`',
    meaning: 'Serve `/metrics` on its own plain-HTTP port when it differs from `PORT`.',
  },
  PROXY_KEY: {
    topic: 'Mode and upstream',
    harness: true,
    meaning:
      'The Harness proxy key: primary mode. Without it (and without `OFFLINE`) the relay serves `CONFIG_DIR` offline.',
  },
  PROXY_KEY_IDENTIFIER: {
    topic: 'Admin API',
    harness: false,
    meaning: 'The identifier of the proxy key in Harness, for rotations.',
  },
  READ_REPLICA: {
    topic: 'Mode and upstream',
    harness: true,
    meaning:
      "Read-replica mode: serve from Redis, never call Harness (needs `REDIS_ADDRESS` and the primary's `AUTH_SECRET`).",
  },
  REDIS_ADDRESS: {
    topic: 'Redis',
    harness: true,
    default: '— (in memory)',
    meaning:
      '`host:port`, `redis://host:port/db`, `rediss://…` (TLS against the system CAs; add one with `NODE_EXTRA_CA_CERTS`) or a comma-separated list (cluster).',
  },
  REDIS_CON_MAX_IDLE_TIME_MINUTES: {
    topic: 'Redis',
    harness: true,
    meaning: 'No effect (no connection is ever idle); named in the startup warning when set.',
  },
  REDIS_CON_MAX_LIFETIME_MINUTES: {
    topic: 'Redis',
    harness: true,
    meaning:
      'A connection up this long is replaced once a fresh one is ready, so no command notices; `0`: never.',
  },
  REDIS_DB: {
    topic: 'Redis',
    harness: { note: 'yes, ignored there' },
    meaning: 'The database when the address has no `/db` path.',
  },
  REDIS_DIAL_TIMEOUT: {
    topic: 'Redis',
    harness: false,
    meaning: 'Alias of `REDIS_DIAL_TIMEOUT_SECONDS` as a Go duration (an earlier name).',
  },
  REDIS_DIAL_TIMEOUT_SECONDS: {
    topic: 'Redis',
    harness: true,
    meaning: 'Seconds one connection attempt may take; `0`: the default.',
  },
  REDIS_MAX_ACTIVE_CONNS: {
    topic: 'Redis',
    harness: true,
    meaning: 'A further cap on the connections per node; `0`: none.',
  },
  REDIS_MAX_IDLE_CONNS: {
    topic: 'Redis',
    harness: true,
    meaning: 'No effect (no idle spare connections); named in the startup warning when set.',
  },
  REDIS_MAX_RETRIES: {
    topic: 'Redis',
    harness: true,
    meaning:
      'Failed reconnects a pending command waits through before it fails; `0` or `-1`: none.',
  },
  REDIS_MAX_RETRY_BACKOFF: {
    topic: 'Redis',
    harness: false,
    meaning: 'Alias of `REDIS_MAX_RETRY_BACKOFF_MILLIS` as a Go duration (an earlier name).',
  },
  REDIS_MAX_RETRY_BACKOFF_MILLIS: {
    topic: 'Redis',
    harness: true,
    meaning: 'Longest wait between reconnect attempts; `-1`: no wait.',
  },
  REDIS_MIN_IDLE_CONNS: {
    topic: 'Redis',
    harness: true,
    meaning:
      'No effect (the command connection is always open); named in the startup warning when set.',
  },
  REDIS_MIN_RETRY_BACKOFF: {
    topic: 'Redis',
    harness: false,
    meaning: 'Alias of `REDIS_MIN_RETRY_BACKOFF_MILLIS` as a Go duration (an earlier name).',
  },
  REDIS_MIN_RETRY_BACKOFF_MILLIS: {
    topic: 'Redis',
    harness: true,
    meaning: 'First wait between reconnect attempts, doubling up to the maximum; `-1`: no wait.',
  },
  REDIS_PASSWORD: {
    topic: 'Redis',
    harness: true,
    meaning: 'Redis ACL password (one in the URL is ignored, as in Harness).',
  },
  REDIS_POOL_SIZE: {
    topic: 'Redis',
    harness: true,
    meaning:
      'Connection limit per node: this × CPUs. The relay needs one for commands plus one per stream reader (primary 2, replica 3); a lower limit stops the boot.',
  },
  REDIS_POOL_SIZE_LITERAL: {
    topic: 'Redis',
    harness: true,
    meaning: 'The connection limit per node as given; `0`: use `REDIS_POOL_SIZE`.',
  },
  REDIS_POOL_TIMEOUT_SECONDS: {
    topic: 'Redis',
    harness: true,
    meaning:
      'No effect (no command waits for a connection; `REDIS_READ_TIMEOUT_SECONDS` bounds each); named in the startup warning when set.',
  },
  REDIS_READ_TIMEOUT: {
    topic: 'Redis',
    harness: false,
    meaning: 'Alias of `REDIS_READ_TIMEOUT_SECONDS` as a Go duration (an earlier name).',
  },
  REDIS_READ_TIMEOUT_SECONDS: {
    topic: 'Redis',
    harness: true,
    meaning:
      'Seconds a command may wait for its reply, from when it is issued; it then fails and the read is served from memory. `0`: the default.',
  },
  REDIS_STARTUP_TIMEOUT: {
    topic: 'Redis',
    harness: false,
    meaning: 'How long boot waits for Redis before it exits 1 saying why (Harness waits 1 min).',
  },
  REDIS_USERNAME: {
    topic: 'Redis',
    harness: true,
    meaning: 'Redis ACL user (one in the URL is ignored, as in Harness).',
  },
  REDIS_WRITE_TIMEOUT_SECONDS: {
    topic: 'Redis',
    harness: true,
    meaning:
      'A connection that has not handed Redis what was written to it for this long is closed; its commands are retried or fail per `REDIS_MAX_RETRIES`. `0`: the read timeout.',
  },
  SDK_STREAM_LIMIT: {
    topic: 'SDK streams',
    harness: false,
    meaning:
      'SDK streams one instance holds; past it `/stream` answers 503 `STREAM_LIMIT_REACHED` with `Retry-After` (15–45 s) and SDKs poll meanwhile. About 65 MiB of memory per 10,000 streams. `0` turns it off.',
  },
  SDK_STREAM_MAX_AGE: {
    topic: 'SDK streams',
    harness: false,
    meaning:
      'Each SDK stream ends after this age plus up to 25 % (random), so SDKs spread over new instances. `0` turns it off.',
  },
  SHUTDOWN_TIMEOUT: {
    topic: 'HTTP server',
    harness: false,
    meaning:
      'After SIGTERM or SIGINT the process exits within this, whatever still hangs (exit 1 then).',
  },
  SSE_HEARTBEAT_INTERVAL: {
    topic: 'SDK streams',
    harness: false,
    meaning: 'Idle seconds before an SDK stream gets a `:` heartbeat (1–15).',
  },
  TLS_CERT: {
    topic: 'HTTP server',
    harness: true,
    meaning: 'PEM certificate file, with `TLS_ENABLED`.',
  },
  TLS_ENABLED: {
    topic: 'HTTP server',
    harness: true,
    meaning: 'Serve HTTPS with `TLS_CERT` and `TLS_KEY`.',
  },
  TLS_KEY: {
    topic: 'HTTP server',
    harness: true,
    meaning: 'PEM private key file, with `TLS_ENABLED`.',
  },
  TRUSTED_PROXIES: {
    topic: 'HTTP server',
    harness: false,
    default: '— (nobody)',
    meaning:
      "Whose `X-Forwarded-For` names the client (rate limits, audit, access log): a hop count (`1`: the address the nearest proxy saw; only when clients cannot reach the relay directly), or comma-separated addresses/CIDRs (`10.0.0.0/8,fd00::/8`; also `loopback`, `linklocal`, `uniquelocal`). Others' `X-Forwarded-For` is ignored.",
  },
  UPSTREAM_POLL_INTERVAL: {
    topic: 'Mode and upstream',
    harness: false,
    meaning:
      'Seconds between polls of Harness while its stream is down; also the longest wait between attempts to reopen it (they start at once, then back off from 1 s to 30 s).',
  },
  UPSTREAM_STREAM_TIMEOUT: {
    topic: 'Mode and upstream',
    harness: false,
    meaning:
      'Seconds without a byte (not even a heartbeat) before the Harness stream is deemed dead.',
  },
};
