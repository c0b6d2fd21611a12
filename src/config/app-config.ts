import type { TrustedProxies } from './trusted-proxies.js';

/** How this process runs; derived once from the environment (see `load-config.ts`). */
export type ProxyMode = 'primary' | 'replica' | 'offline' | 'generate-offline-config';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

export type SettingValue = string | number | boolean;

export interface RedisConfig {
  /** Raw `REDIS_ADDRESS`: `host:port`, `redis[s]://host:port/db`, or a comma-separated cluster list. */
  readonly address: string;
  readonly username: string | undefined;
  readonly password: string | undefined;
  readonly db: number;
  /** How long one connection attempt may take (`REDIS_DIAL_TIMEOUT_SECONDS`). */
  readonly connectTimeoutMs: number;
  /** How long a command may wait for its reply, from when it is issued (`…_READ_TIMEOUT_…`). */
  readonly commandTimeoutMs: number;
  /** A connection that cannot hand Redis what was written to it this long is closed. */
  readonly writeTimeoutMs: number;
  /** Failed reconnects a command waits through before it fails. */
  readonly maxRetriesPerRequest: number;
  readonly minRetryBackoffMs: number;
  readonly maxRetryBackoffMs: number;
  /** Most connections to one Redis node, and the variable that set that limit. */
  readonly maxConnections: { readonly count: number; readonly variable: string };
  /** A connection this old is replaced by a fresh one (0: never). */
  readonly connMaxLifetimeMs: number;
  /** Boot waits this long for a first answer from Redis, then exits 1. */
  readonly startupTimeoutMs: number;
}

/**
 * The validated, typed configuration. Inject it by type; never read `process.env` elsewhere.
 * Build one with `loadConfig()`.
 */
export class AppConfig {
  readonly mode!: ProxyMode;
  /** True when OFFLINE was not asked for but no PROXY_KEY was given (the zero-setup default). */
  readonly implicitOffline!: boolean;
  readonly server!: {
    readonly port: number;
    readonly prometheusPort: number;
    readonly bodyLimitBytes: number;
    /** A connection with no byte either way this long is closed (SDK streams heartbeat). */
    readonly idleTimeoutMs: number;
    /** A request's headers and body must arrive within this (slow clients are cut off). */
    readonly requestTimeoutMs: number;
    /** After SIGTERM the process exits within this, whatever still hangs. */
    readonly shutdownTimeoutMs: number;
    /** Whose X-Forwarded-For names the client address (`[]`: nobody's). */
    readonly trustedProxies: TrustedProxies;
    readonly tls: { readonly enabled: boolean; readonly cert: string; readonly key: string };
  };
  readonly auth!: {
    readonly secret: string;
    /** True when no AUTH_SECRET was set and a random one was generated for this process. */
    readonly secretIsEphemeral: boolean;
    readonly bypass: boolean;
    /** `/client/auth` calls allowed per client address per minute (0: no limit). */
    readonly rateLimitPerMinute: number;
  };
  /** The Admin API is served only when a token is set. */
  readonly admin!: {
    readonly token: string | undefined;
    /** The Harness admin API, for proxy-key rotation; absent settings are named in a 409. */
    readonly service: string;
    readonly serviceToken: string | undefined;
    readonly proxyKeyIdentifier: string | undefined;
    readonly accountIdentifier: string | undefined;
    readonly orgIdentifier: string | undefined;
  };
  readonly upstream!: {
    readonly proxyKey: string;
    readonly clientService: string;
    readonly metricService: string;
    readonly forwardTargets: boolean;
  };
  readonly sync!: {
    /** Poll and stream-retry period while the upstream stream is down (Harness: 60 s). */
    readonly pollIntervalMs: number;
    /** A stream silent this long is dead (half-open TCP); Harness SDKs use 30 s. */
    readonly streamTimeoutMs: number;
  };
  /** `null` means the in-memory cache (no REDIS_ADDRESS). */
  readonly redis!: RedisConfig | null;
  readonly offline!: { readonly configDir: string };
  readonly sdkMetrics!: {
    /** Seconds between upstream flushes; 0 disables forwarding. */
    readonly postDurationSeconds: number;
    /** MAXLEN of a replica's XADD to the metrics stream. */
    readonly streamMaxLen: number;
    /** Metrics stream messages the primary takes per read and handles together. */
    readonly streamReadConcurrency: number;
  };
  readonly compat!: {
    /** Emulate the Go proxy's double JSON encoding of json-kind evaluation values. */
    readonly jsonEvaluationDoubleEncode: boolean;
    /**
     * `AND_RULES`: segments keep their v2 `servingRules` (default). Off, as in the Go proxy's
     * default, SDKs and evaluations see only the legacy `rules`.
     */
    readonly andRules: boolean;
  };
  readonly profiling!: {
    /** `PPROF`: CPU and heap profiles in pprof format on 127.0.0.1:`pprofPort`. */
    readonly pprof: boolean;
    readonly pprofPort: number;
    /** `GCP_PROFILER_ENABLED`: Google Cloud Profiler's agent. */
    readonly gcp: boolean;
    /** `ENV`: suffix of the Cloud Profiler service name. */
    readonly env: string | undefined;
  };
  /** Seconds between self health checks (`HEARTBEAT_INTERVAL`); 0 disables them. */
  readonly heartbeatIntervalSeconds!: number;
  readonly sdkStreams!: {
    /** Idle seconds before an SDK stream gets a `:` heartbeat; SDKs give up after 30. */
    readonly heartbeatSeconds: number;
    /** Streams one instance holds at most; beyond it `/stream` answers 503 (0: no limit). */
    readonly limit: number;
    /** A stream is ended after this age plus up to 25 % jitter, so SDKs spread (0: never). */
    readonly maxAgeMs: number;
  };
  /** Shown at boot: the effective value of every setting, and those that change nothing here. */
  readonly startup!: {
    readonly settings: Readonly<Record<string, SettingValue>>;
    readonly noEffect: Readonly<Record<string, string>>;
  };
  readonly log!: {
    readonly level: LogLevel;
    readonly pretty: boolean;
    /** One line per request (route, status, latency), at `info`. */
    readonly accessLog: boolean;
  };

  constructor(values: AppConfigValues) {
    Object.assign(this, values);
    Object.freeze(this);
  }
}

export type AppConfigValues = { -readonly [K in keyof AppConfig]: AppConfig[K] };
