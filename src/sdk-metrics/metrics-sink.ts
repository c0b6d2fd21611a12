import type { SdkMetricsBatch } from './metrics-batch.js';

/**
 * Where the intake hands accepted SDK metrics; chosen once when modules are wired. The primary
 * batches and forwards them upstream (`MetricsForwarder`); a read replica appends them to the
 * Redis stream its primary forwards from (`RedisMetricsSink`). Offline there is none.
 */
export abstract class MetricsSink {
  abstract accept(env: string, batch: SdkMetricsBatch): void;
}
