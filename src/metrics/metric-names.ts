/**
 * Every metric ff-relay exports. The `ff_*` names, types, labels and buckets are fixed by the
 * Harness dashboard and users' alerts (docs/prometheus-metrics.md), inconsistencies included (no
 * `_total` on their counters but one); ours follow `ff_proxy_<subject>_<unit>` with `_total`.
 */
export const METRIC_NAMES = {
  /** Runtime and exporter: pre-initialised for `gathering` and `encoding`. */
  scrapeErrors: 'promhttp_metric_handler_errors_total',
  /** Inbound HTTP, counted by the outermost hook. */
  httpRequests: 'ff_proxy_http_requests_total',
  httpDuration: 'ff_proxy_http_requests_duration',
  httpContentLength: 'ff_http_requests_content_length_histogram',
  /** Calls to the Harness client service that got an HTTP answer. */
  clientServiceRequests: 'ff_proxy_to_client_service_requests',
  clientServiceDuration: 'ff_proxy_to_ff_client_service_requests_duration',
  /** SDK metrics forwarding (primary). */
  metricsForwarded: 'ff_proxy_metrics_forwarded',
  sdkUsage: 'ff_proxy_sdk_usage',
  /** Cache: Redis operations (not the streams, which have their own counters). */
  cacheWriteDuration: 'ff_proxy_redis_cache_write_duration',
  cacheReadDuration: 'ff_proxy_redis_cache_read_duration',
  cacheDeleteDuration: 'ff_proxy_redis_cache_delete_duration',
  cacheScanDuration: 'ff_proxy_redis_cache_scan_duration',
  cacheWriteCount: 'ff_proxy_redis_cache_write_count',
  cacheReadCount: 'ff_proxy_redis_cache_read_count',
  cacheRemoveCount: 'ff_proxy_redis_cache_remove_count',
  cacheScanCount: 'ff_proxy_redis_cache_scan_count',
  /** Cache: the decoded-value memory SDK reads are served from stands in for Go's memoize cache. */
  memoizeHit: 'ff_proxy_memoize_cache_hit',
  memoizeMiss: 'ff_proxy_memoize_cache_miss',
  memoizeWriteMarshal: 'ff_proxy_memoize_cache_write_marshal',
  memoizeHitWithUnmarshal: 'ff_proxy_memoize_cache_hit_with_unmarshal',
  /** Upstream stream state. */
  streamHealth: 'ff_proxy_stream_health',
  /** Upstream stream state, primary only. */
  pollingStatus: 'ff_proxy_polling_status',
  /** Ours: SDK metrics entries given up after failed forwarding (Go drops them silently). */
  sdkMetricsDropped: 'ff_proxy_sdk_metrics_dropped_total',
  /** Ours: 1 while the cache (Redis) answers, 0 while SDK reads are served from memory alone. */
  cacheHealthy: 'ff_proxy_cache_healthy',
  /** Ours: times the cache came back without our data and was re-seeded. */
  cacheReseeds: 'ff_proxy_cache_reseeds_total',
  /** Ours: Admin API calls, by action and outcome (the audit trail's counter). */
  adminActions: 'ff_relay_admin_actions_total',
  /** Ours: sealed state (`state`: auth-secrets, proxy-key) found older than one already seen. */
  sealedStateRollbacks: 'ff_proxy_sealed_state_rollbacks_total',
  /** Ours: sealed state written back from memory, by `state` and `reason`. */
  sealedStateReseals: 'ff_proxy_sealed_state_reseals_total',
  /** Ours: 1 while this instance cannot follow the sealed state the others run on. */
  sealedStateConflict: 'ff_proxy_sealed_state_conflict',
  /** Ours: SDK streams this instance holds now, and the most it may (0: no limit). */
  sdkStreams: 'ff_proxy_sdk_streams',
  sdkStreamsLimit: 'ff_proxy_sdk_streams_limit',
  /** Ours: SDK streams refused (`reason="limit"`: the instance held SDK_STREAM_LIMIT). */
  sdkStreamsRefused: 'ff_proxy_sdk_streams_refused_total',
  /** Ours: SDK streams the relay ended (`reason="max_age"`: SDK_STREAM_MAX_AGE reached). */
  sdkStreamsEnded: 'ff_proxy_sdk_streams_ended_total',
  /**
   * Ours, primary only: 1 while upstream accepts the proxy key, 0 once it was deleted or is
   * refused (the relay serves its cached config, which no longer changes).
   */
  proxyKeyValid: 'ff_relay_proxy_key_valid',
  /** Ours: how long each scheduled job run took. */
  scheduledJobDuration: 'ff_proxy_scheduled_job_duration_seconds',
} as const;

/**
 * The prefixes of the three stream message counters, one per stream endpoint. Each is
 * registered only in the role whose code owns that endpoint.
 */
export const STREAM_PREFIXES = {
  saasToPrimary: 'ff_proxy_saas_to_primary_sse_consumer',
  primaryToReplica: 'ff_proxy_primary_to_replica_sse_producer',
  primaryToSdk: 'ff_proxy_primary_to_sdk_sse_producer',
  primaryMetricsConsumer: 'ff_proxy_primary_metrics_stream_consumer',
  replicaConsumer: 'ff_proxy_replica_sse_consumer',
  replicaToSdk: 'ff_proxy_replica_to_sdk_sse_producer',
  replicaMetricsProducer: 'ff_proxy_replica_metrics_stream_producer',
} as const;

export type StreamPrefix = (typeof STREAM_PREFIXES)[keyof typeof STREAM_PREFIXES];

export type ForwardedLabel = 'envID' | 'error';
export type SdkUsageLabel = 'envID' | 'sdk_type' | 'sdk_version' | 'sdk_language';
export type DroppedLabel = 'envID' | 'kind' | 'reason';
export type HttpLabel = 'url' | 'envID' | 'code';
export type ClientServiceLabel = 'url' | 'envID' | 'code';
