import {
  makeCounterProvider,
  makeGaugeProvider,
  makeHistogramProvider,
} from '@willsoto/nestjs-prometheus';
import { METRIC_NAMES } from './metric-names.js';

/** Every metric provider, declared once; modules inject them with `@InjectMetric(name)`. */
export const METRIC_PROVIDERS = [
  makeCounterProvider({
    name: METRIC_NAMES.metricsForwarded,
    help: 'Number of POST /metrics/{env} requests sent upstream',
    labelNames: ['envID', 'error'],
  }),
  makeCounterProvider({
    name: METRIC_NAMES.sdkUsage,
    help: 'Number of metricsData entries forwarded upstream, per SDK',
    labelNames: ['envID', 'sdk_type', 'sdk_version', 'sdk_language'],
  }),
  makeCounterProvider({
    name: METRIC_NAMES.sdkMetricsDropped,
    help: 'SDK metrics entries given up after failed forwarding',
    labelNames: ['envID', 'kind', 'reason'],
  }),
  makeGaugeProvider({
    name: METRIC_NAMES.streamHealth,
    help: '1 while the upstream stream is connected, 0 while it is not',
    labelNames: ['host'],
  }),
  makeGaugeProvider({
    name: METRIC_NAMES.pollingStatus,
    help: '1 while the proxy polls upstream because the stream is down',
    labelNames: ['host'],
  }),
  makeGaugeProvider({
    name: METRIC_NAMES.cacheHealthy,
    help: '1 while the cache answers, 0 while SDK reads are served from memory alone',
    labelNames: ['cache'],
  }),
  makeCounterProvider({
    name: METRIC_NAMES.cacheReseeds,
    help: 'Times the cache came back without our data and was re-seeded',
    labelNames: ['cache'],
  }),
  makeCounterProvider({
    name: METRIC_NAMES.adminActions,
    help: 'Admin API calls, by action and outcome',
    labelNames: ['action', 'outcome'],
  }),
  makeHistogramProvider({
    name: METRIC_NAMES.scheduledJobDuration,
    help: 'Duration of scheduled job runs',
    labelNames: ['job'],
    buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
  }),
];
