import { IsIn, IsOptional, IsString, Matches, MinLength, ValidateBy } from 'class-validator';
import { GO_DURATION_PATTERN } from './go-duration.js';
import { LOG_LEVEL_PATTERN } from './log-level.js';
import { isHttpUrl, isRedisAddress } from './url-checks.js';

/** The values Go's `strconv.ParseBool` accepts, which is what the Harness proxy parses flags with. */
export const BOOL_PATTERN = /^(1|t|T|TRUE|true|True|0|f|F|FALSE|false|False)$/;
const INT_PATTERN = /^\d+$/;
const INT_OR_MINUS_ONE_PATTERN = /^(-1|\d+)$/;
const POSITIVE_INT_PATTERN = /^0*[1-9]\d*$/;
const PORT_PATTERN = /^([1-9]\d{0,3}|[1-5]\d{4}|6[0-4]\d{3}|65[0-4]\d{2}|655[0-2]\d|6553[0-5])$/;

const bool = Matches(BOOL_PATTERN, { message: 'must be a boolean (true/false/1/0)' });
const int = Matches(INT_PATTERN, { message: 'must be a non-negative integer' });
const duration = Matches(GO_DURATION_PATTERN, {
  message: 'must be a Go duration such as 500ms, 5s or 1m',
});
const port = Matches(PORT_PATTERN, { message: 'must be a port number (1-65535)' });
/** go-redis reads -1 as "off" for these (no retry, no wait, no idle check). */
const intOrMinusOne = Matches(INT_OR_MINUS_ONE_PATTERN, {
  message: 'must be a non-negative integer or -1',
});
const positiveInt = Matches(POSITIVE_INT_PATTERN, { message: 'must be a positive integer' });
const httpUrl = ValidateBy({
  name: 'httpUrl',
  validator: { validate: isHttpUrl, defaultMessage: () => 'must be an http(s) URL' },
});
const redisAddress = ValidateBy({
  name: 'redisAddress',
  validator: {
    validate: isRedisAddress,
    defaultMessage: () => 'must be host:port, redis[s]://host:port/db or a comma-separated list',
  },
});

/**
 * Every environment variable ff-relay reads, spelt as in the Harness ff-proxy. Values stay strings
 * here; `load-config.ts` validates them with this class and maps them into {@link AppConfig}.
 * Empty values count as unset, as in Harness.
 */
export class EnvVars {
  @IsOptional() @IsString() PROXY_KEY?: string;
  @IsOptional() @IsString() AUTH_SECRET?: string;
  @IsOptional() @httpUrl CLIENT_SERVICE?: string;
  @IsOptional() @httpUrl METRIC_SERVICE?: string;
  @IsOptional() @bool READ_REPLICA?: string;
  @IsOptional() @bool OFFLINE?: string;
  @IsOptional() @IsString() CONFIG_DIR?: string;
  @IsOptional() @bool GENERATE_OFFLINE_CONFIG?: string;
  @IsOptional() @redisAddress REDIS_ADDRESS?: string;
  @IsOptional() @IsString() REDIS_USERNAME?: string;
  @IsOptional() @IsString() REDIS_PASSWORD?: string;
  @IsOptional() @int REDIS_DB?: string;
  @IsOptional() @int REDIS_POOL_SIZE?: string;
  /** Alias of REDIS_DIAL_TIMEOUT_SECONDS as a Go duration (ff-relay's earlier name). */
  @IsOptional() @duration REDIS_DIAL_TIMEOUT?: string;
  /** Alias of REDIS_READ_TIMEOUT_SECONDS as a Go duration (ff-relay's earlier name). */
  @IsOptional() @duration REDIS_READ_TIMEOUT?: string;
  /** Reconnects a command waits through before it fails (go-redis `MaxRetries`). */
  @IsOptional() @intOrMinusOne REDIS_MAX_RETRIES?: string;
  /** Aliases of REDIS_MIN/MAX_RETRY_BACKOFF_MILLIS as Go durations (ff-relay's earlier names). */
  @IsOptional() @duration REDIS_MIN_RETRY_BACKOFF?: string;
  @IsOptional() @duration REDIS_MAX_RETRY_BACKOFF?: string;
  /**
   * The other Redis settings of the Harness docs, in their units; what each does here is in
   * docs/migrating-from-harness-relay-proxy.md.
   */
  @IsOptional() @intOrMinusOne REDIS_MIN_RETRY_BACKOFF_MILLIS?: string;
  @IsOptional() @intOrMinusOne REDIS_MAX_RETRY_BACKOFF_MILLIS?: string;
  @IsOptional() @int REDIS_DIAL_TIMEOUT_SECONDS?: string;
  @IsOptional() @int REDIS_READ_TIMEOUT_SECONDS?: string;
  @IsOptional() @int REDIS_WRITE_TIMEOUT_SECONDS?: string;
  @IsOptional() @int REDIS_POOL_SIZE_LITERAL?: string;
  @IsOptional() @int REDIS_POOL_TIMEOUT_SECONDS?: string;
  @IsOptional() @int REDIS_MIN_IDLE_CONNS?: string;
  @IsOptional() @int REDIS_MAX_IDLE_CONNS?: string;
  @IsOptional() @int REDIS_MAX_ACTIVE_CONNS?: string;
  @IsOptional() @intOrMinusOne REDIS_CON_MAX_IDLE_TIME_MINUTES?: string;
  @IsOptional() @int REDIS_CON_MAX_LIFETIME_MINUTES?: string;
  /** ff-relay only: how long boot waits for Redis to answer before it exits 1 (Harness: 1m). */
  @IsOptional() @duration REDIS_STARTUP_TIMEOUT?: string;
  @IsOptional() @port PORT?: string;
  @IsOptional() @port PROMETHEUS_PORT?: string;
  @IsOptional() @bool TLS_ENABLED?: string;
  @IsOptional() @IsString() TLS_CERT?: string;
  @IsOptional() @IsString() TLS_KEY?: string;
  @IsOptional() @int METRIC_POST_DURATION?: string;
  @IsOptional() @int HEARTBEAT_INTERVAL?: string;
  @IsOptional() @bool FORWARD_TARGETS?: string;
  @IsOptional() @bool BYPASS_AUTH?: string;
  /** The Harness admin API the proxy key is rotated through (Harness names and default). */
  @IsOptional() @httpUrl ADMIN_SERVICE?: string;
  @IsOptional() @IsString() ADMIN_SERVICE_TOKEN?: string;
  @IsOptional() @IsString() PROXY_KEY_IDENTIFIER?: string;
  @IsOptional() @IsString() ACCOUNT_IDENTIFIER?: string;
  @IsOptional() @IsString() ORG_IDENTIFIER?: string;
  /** ff-relay only: enables the Admin API; callers send it as a Bearer token (32+ characters). */
  @IsOptional()
  @MinLength(32, { message: 'must be at least 32 characters (e.g. openssl rand -hex 32)' })
  ADMIN_API_TOKEN?: string;
  /**
   * ff-relay only: the proxies whose X-Forwarded-For names the client (rate limits, audit, access
   * log): a hop count, or comma-separated addresses/CIDRs. Unset: nobody's.
   */
  @IsOptional() @IsString() TRUSTED_PROXIES?: string;
  /** TRACE, DEBUG, INFO, WARN, ERROR or FATAL, in any case (Harness: INFO, DEBUG, ERROR). */
  @IsOptional()
  @Matches(LOG_LEVEL_PATTERN, { message: 'must be one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL' })
  LOG_LEVEL?: string;
  @IsOptional() @int METRICS_STREAM_MAX_LEN?: string;
  /** The docs' name; the Go proxy reads `METRIC_…`, accepted as an alias. */
  @IsOptional() @positiveInt METRICS_STREAM_READ_CONCURRENCY?: string;
  @IsOptional() @positiveInt METRIC_STREAM_READ_CONCURRENCY?: string;
  /** `false`: segments are served and evaluated with legacy `rules` only (Go's default). */
  @IsOptional() @bool AND_RULES?: string;
  /** Go pprof-format CPU and heap profiles on 127.0.0.1:PPROF_PORT (`/debug/pprof/…`). */
  @IsOptional() @bool PPROF?: string;
  /** ff-relay only: the profiles' port (Harness: always 6060). */
  @IsOptional() @port PPROF_PORT?: string;
  /** Google Cloud Profiler, as service `ff-proxy-v2-<primary|replica>[.<ENV>]`. */
  @IsOptional() @bool GCP_PROFILER_ENABLED?: string;
  /** Only names the Cloud Profiler service. */
  @IsOptional() @IsString() ENV?: string;
  /** ff-relay only: largest accepted request body in bytes (Harness has no limit). */
  @IsOptional() @int BODY_LIMIT_BYTES?: string;
  /** ff-relay only: emulate the Go proxy's double JSON encoding of json-kind evaluation values. */
  @IsOptional() @bool JSON_EVALUATION_DOUBLE_ENCODE?: string;
  /** ff-relay only: seconds of silence before an SDK stream gets a `:` heartbeat (max 15). */
  @IsOptional() @int SSE_HEARTBEAT_INTERVAL?: string;
  /** ff-relay only: SDK streams one instance holds (503 beyond); 0 turns the limit off. */
  @IsOptional() @int SDK_STREAM_LIMIT?: string;
  /** ff-relay only: an SDK stream ends after this age (+ up to 25 % jitter); 0 turns it off. */
  @IsOptional() @duration SDK_STREAM_MAX_AGE?: string;
  /**
   * ff-relay only: seconds between polls while the upstream stream is down; also the longest
   * wait between attempts to reopen it.
   */
  @IsOptional() @int UPSTREAM_POLL_INTERVAL?: string;
  /** ff-relay only: seconds without a byte on the upstream stream before it is deemed dead. */
  @IsOptional() @int UPSTREAM_STREAM_TIMEOUT?: string;
  /**
   * ff-relay only: a connection silent this long is closed (SDK streams send a heartbeat at
   * least every 15 s, so they never are), and a request must arrive whole within the other.
   */
  @IsOptional() @duration HTTP_IDLE_TIMEOUT?: string;
  /** ff-relay only: after SIGTERM, exit within this however shutdown goes (chart grace: 35 s). */
  @IsOptional() @duration SHUTDOWN_TIMEOUT?: string;
  /**
   * ff-relay only: `/client/auth` calls, and unknown SDK keys on OFREP routes, per client address
   * per minute; 0 turns the limit off.
   */
  @IsOptional() @int AUTH_RATE_LIMIT?: string;
  @IsOptional() @duration HTTP_REQUEST_TIMEOUT?: string;
  /**
   * Node's convention: with `production` (the container image, the chart) a missing PROXY_KEY
   * is an error unless OFFLINE=true, instead of silently serving the example config.
   */
  @IsOptional() @IsString() NODE_ENV?: string;
  /** ff-relay only: one `info` line per request (default true); `false` keeps other logs. */
  @IsOptional() @bool ACCESS_LOG?: string;
  /** ff-relay only: `json` (default) or `pretty` log output. */
  @IsOptional()
  @IsIn(['json', 'pretty'], { message: 'must be json or pretty' })
  LOG_FORMAT?: string;
}

export type EnvInput = Readonly<Record<string, string | undefined>>;
