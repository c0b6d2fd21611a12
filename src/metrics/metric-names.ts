/**
 * Every metric ff-relay exports. The `ff_proxy_*` names, types and labels without a `_total`
 * suffix are fixed by the Harness dashboard and alerts (`prometheus-metrics.md`); ours follow
 * `ff_proxy_<subject>_<unit>` with `_total` on counters.
 */
export const METRIC_NAMES = {
  metricsForwarded: 'ff_proxy_metrics_forwarded',
  sdkUsage: 'ff_proxy_sdk_usage',
  streamHealth: 'ff_proxy_stream_health',
  pollingStatus: 'ff_proxy_polling_status',
  /** Ours: SDK metrics entries given up after failed forwarding (Go drops them silently). */
  sdkMetricsDropped: 'ff_proxy_sdk_metrics_dropped_total',
  /** Ours: 1 while the cache (Redis) answers, 0 while SDK reads are served from memory alone. */
  cacheHealthy: 'ff_proxy_cache_healthy',
  /** Ours: times the cache came back without our data and was re-seeded. */
  cacheReseeds: 'ff_proxy_cache_reseeds_total',
  /** Ours: Admin API calls, by action and outcome (the audit trail's counter). */
  adminActions: 'ff_relay_admin_actions_total',
  /** Ours: how long each scheduled job run took. */
  scheduledJobDuration: 'ff_proxy_scheduled_job_duration_seconds',
} as const;

export type ForwardedLabel = 'envID' | 'error';
export type SdkUsageLabel = 'envID' | 'sdk_type' | 'sdk_version' | 'sdk_language';
export type DroppedLabel = 'envID' | 'kind' | 'reason';
