import type { Provider } from '@nestjs/common';
import { getToken } from '@willsoto/nestjs-prometheus';
import {
  Counter,
  type CounterConfiguration,
  Gauge,
  type GaugeConfiguration,
  Histogram,
  type HistogramConfiguration,
  Registry,
} from 'prom-client';
import { METRIC_NAMES, STREAM_PREFIXES, type StreamPrefix } from './metric-names.js';
import { StreamCounters } from './stream-counters.js';

/*
 * Metrics live in the app's own Registry (docs/prometheus-metrics.md), so two apps in one process
 * (a primary and a replica in a test) never share a counter. willsoto's make*Provider always
 * register in prom-client's global registry, so these build the same providers on ours: same
 * tokens, and `@InjectMetric(name)` works unchanged.
 */
type Config<C> = Omit<C, 'registers'>;

/**
 * A counter in the app's registry, injected with `@InjectMetric(name)`. Exported (`ff-relay`)
 * for extensions: their module imports MetricsModule and lists these among its providers.
 */
export function counterProvider(config: Config<CounterConfiguration<string>>): Provider {
  return metric(config.name, (r) => new Counter({ ...config, registers: [r] }));
}

/** A gauge in the app's registry; see {@link counterProvider}. */
export function gaugeProvider(config: Config<GaugeConfiguration<string>>): Provider {
  return metric(config.name, (r) => new Gauge({ ...config, registers: [r] }));
}

/** A histogram in the app's registry; see {@link counterProvider}. */
export function histogramProvider(config: Config<HistogramConfiguration<string>>): Provider {
  return metric(config.name, (r) => new Histogram({ ...config, registers: [r] }));
}

const counter = counterProvider;
const gauge = gaugeProvider;
const histogram = histogramProvider;

function metric(name: string, create: (registry: Registry) => unknown): Provider {
  return { provide: getToken(name), inject: [Registry], useFactory: create };
}

/** Inbound HTTP: Prometheus' default buckets, as client_golang uses them. */
const HTTP_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Inbound HTTP: `prometheus.ExponentialBuckets(100, 2, 10)`. */
const BODY_BYTES = [100, 200, 400, 800, 1600, 3200, 6400, 12800, 25600, 51200];
const CLIENT_SERVICE_SECONDS = [0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.75, 1];
const CACHE_SECONDS = [0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5];

const cacheDuration = (name: string, operation: string): Provider =>
  histogram({ name, help: `Duration of Redis cache ${operation}s`, buckets: CACHE_SECONDS });
const cacheCount = (name: string, operation: string): Provider =>
  counter({ name, help: `Redis cache ${operation}s, by failure`, labelNames: ['error'] });
const memoize = (name: string, help: string): Provider => counter({ name, help });

/** The metrics of every role, each declared once; modules inject them with `@InjectMetric`. */
export const METRIC_PROVIDERS: Provider[] = [
  counter({
    name: METRIC_NAMES.scrapeErrors,
    help: 'Errors while serving a scrape, by cause',
    labelNames: ['cause'],
  }),
  counter({
    name: METRIC_NAMES.httpRequests,
    help: 'Inbound HTTP requests, by route template, environment and status code',
    labelNames: ['url', 'envID', 'code'],
  }),
  histogram({
    name: METRIC_NAMES.httpDuration,
    help: 'Inbound HTTP request duration in seconds (until headers for /stream)',
    labelNames: ['url'],
    buckets: HTTP_SECONDS,
  }),
  histogram({
    name: METRIC_NAMES.httpContentLength,
    help: 'Content-Length of inbound POST requests (-1 when unknown)',
    buckets: BODY_BYTES,
  }),
  counter({
    name: METRIC_NAMES.clientServiceRequests,
    help: 'Requests to the Harness client service that got an answer',
    labelNames: ['url', 'envID', 'code'],
  }),
  histogram({
    name: METRIC_NAMES.clientServiceDuration,
    help: 'Duration of requests to the Harness client service in seconds',
    labelNames: ['url', 'envID'],
    buckets: CLIENT_SERVICE_SECONDS,
  }),
  counter({
    name: METRIC_NAMES.metricsForwarded,
    help: 'Number of POST /metrics/{env} requests sent upstream',
    labelNames: ['envID', 'error'],
  }),
  counter({
    name: METRIC_NAMES.sdkUsage,
    help: 'Number of metricsData entries forwarded upstream, per SDK',
    labelNames: ['envID', 'sdk_type', 'sdk_version', 'sdk_language'],
  }),
  cacheDuration(METRIC_NAMES.cacheWriteDuration, 'write'),
  cacheDuration(METRIC_NAMES.cacheReadDuration, 'read'),
  cacheDuration(METRIC_NAMES.cacheDeleteDuration, 'delete'),
  cacheDuration(METRIC_NAMES.cacheScanDuration, 'scan'),
  cacheCount(METRIC_NAMES.cacheWriteCount, 'write'),
  cacheCount(METRIC_NAMES.cacheReadCount, 'read'),
  cacheCount(METRIC_NAMES.cacheRemoveCount, 'delete'),
  cacheCount(METRIC_NAMES.cacheScanCount, 'scan'),
  memoize(METRIC_NAMES.memoizeHit, 'Cache reads served from memory without decoding'),
  memoize(METRIC_NAMES.memoizeMiss, 'Cache reads that needed a JSON decode'),
  memoize(METRIC_NAMES.memoizeWriteMarshal, 'Cache values serialised for a write'),
  memoize(METRIC_NAMES.memoizeHitWithUnmarshal, 'Always 0: every hit is served decoded'),
  gauge({
    name: METRIC_NAMES.streamHealth,
    help: '1 while the upstream stream is connected, 0 while it is not',
    labelNames: ['host'],
  }),
  counter({
    name: METRIC_NAMES.sdkMetricsDropped,
    help: 'SDK metrics entries given up after failed forwarding',
    labelNames: ['envID', 'kind', 'reason'],
  }),
  gauge({
    name: METRIC_NAMES.cacheHealthy,
    help: '1 while the cache answers, 0 while SDK reads are served from memory alone',
    labelNames: ['cache'],
  }),
  counter({
    name: METRIC_NAMES.cacheReseeds,
    help: 'Times the cache came back without our data and was re-seeded',
    labelNames: ['cache'],
  }),
  counter({
    name: METRIC_NAMES.adminActions,
    help: 'Admin API calls, by action and outcome',
    labelNames: ['action', 'outcome'],
  }),
  counter({
    name: METRIC_NAMES.sealedStateRollbacks,
    help: 'Sealed state found older than one this instance had seen (restored by a Redis writer?)',
    labelNames: ['state'],
  }),
  counter({
    name: METRIC_NAMES.sealedStateReseals,
    help: 'Sealed state written back from memory (it was missing, unreadable or older)',
    labelNames: ['state', 'reason'],
  }),
  gauge({
    name: METRIC_NAMES.sealedStateConflict,
    help: '1 while this instance cannot follow the sealed state the other instances run on',
    labelNames: ['state'],
  }),
  gauge({ name: METRIC_NAMES.sdkStreams, help: 'SDK streams (GET /stream) held now' }),
  gauge({
    name: METRIC_NAMES.sdkStreamsLimit,
    help: 'SDK streams this instance may hold (SDK_STREAM_LIMIT; 0: no limit)',
  }),
  counter({
    name: METRIC_NAMES.sdkStreamsRefused,
    help: 'SDK streams refused with 503, by reason',
    labelNames: ['reason'],
  }),
  counter({
    name: METRIC_NAMES.sdkStreamsEnded,
    help: 'SDK streams the relay ended, by reason',
    labelNames: ['reason'],
  }),
  histogram({
    name: METRIC_NAMES.scheduledJobDuration,
    help: 'Duration of scheduled job runs',
    labelNames: ['job'],
    buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
  }),
];

/** The three stream counters of one endpoint, injected with `@InjectMetric(prefix)`. */
function streamCounters(prefix: StreamPrefix): Provider {
  return metric(prefix, (registry) => new StreamCounters(prefix, registry));
}

/**
 * The SDK fan-out's counters under a role-neutral token: the primary and a replica publish to
 * their SDKs with the same code, under different prefixes.
 */
export const SDK_STREAM_COUNTERS = Symbol('SdkStreamCounters');

function sdkProducer(prefix: StreamPrefix): Provider[] {
  return [streamCounters(prefix), { provide: SDK_STREAM_COUNTERS, useExisting: getToken(prefix) }];
}

/**
 * Metrics only one role has (docs/prometheus-metrics.md). The module that wires a role lists its
 * group, so a replica never exports a primary's series, and the other way round.
 */
export const ROLE_METRIC_PROVIDERS = {
  primarySync: [
    gauge({
      name: METRIC_NAMES.pollingStatus,
      help: '1 while the proxy polls upstream because the stream is down',
      labelNames: ['host'],
    }),
    gauge({
      name: METRIC_NAMES.proxyKeyValid,
      help: '1 while upstream accepts the proxy key, 0 once it was deleted or is refused',
    }),
    streamCounters(STREAM_PREFIXES.saasToPrimary),
    streamCounters(STREAM_PREFIXES.primaryToReplica),
    ...sdkProducer(STREAM_PREFIXES.primaryToSdk),
  ],
  replicaSync: [
    streamCounters(STREAM_PREFIXES.replicaConsumer),
    ...sdkProducer(STREAM_PREFIXES.replicaToSdk),
  ],
  primaryMetricsReader: [streamCounters(STREAM_PREFIXES.primaryMetricsConsumer)],
  replicaMetricsSink: [streamCounters(STREAM_PREFIXES.replicaMetricsProducer)],
} satisfies Record<string, Provider[]>;
