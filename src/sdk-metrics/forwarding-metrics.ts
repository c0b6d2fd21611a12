import { makeCounterProvider } from '@willsoto/nestjs-prometheus';

// Names, types and labels of the first two are fixed by the Harness dashboard and alerts
// (`prometheus-metrics.md` §2.4), hence no `_total` suffix.
export const METRICS_FORWARDED = 'ff_proxy_metrics_forwarded';
export const SDK_USAGE = 'ff_proxy_sdk_usage';
/** Ours (Go drops every failed batch silently): entries given up after failed forwarding. */
export const SDK_METRICS_DROPPED = 'ff_proxy_sdk_metrics_dropped_total';

export type ForwardedLabel = 'envID' | 'error';
export type SdkUsageLabel = 'envID' | 'sdk_type' | 'sdk_version' | 'sdk_language';
export type DroppedLabel = 'envID' | 'kind' | 'reason';

/** Registered on every role, like Go; only a forwarding primary moves them. */
export const FORWARDING_METRIC_PROVIDERS = [
  makeCounterProvider({
    name: METRICS_FORWARDED,
    help: 'Number of POST /metrics/{env} requests sent upstream',
    labelNames: ['envID', 'error'],
  }),
  makeCounterProvider({
    name: SDK_USAGE,
    help: 'Number of metricsData entries forwarded upstream, per SDK',
    labelNames: ['envID', 'sdk_type', 'sdk_version', 'sdk_language'],
  }),
  makeCounterProvider({
    name: SDK_METRICS_DROPPED,
    help: 'SDK metrics entries given up after failed forwarding',
    labelNames: ['envID', 'kind', 'reason'],
  }),
];
