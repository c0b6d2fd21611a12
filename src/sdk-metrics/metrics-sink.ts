import type { SdkMetricsBatch } from './metrics-batch.js';

/**
 * Where the intake hands accepted SDK metrics; chosen once by mode. The primary batches and
 * forwards them upstream (`MetricsForwarder`); a read replica will append them to the
 * shared Redis stream for the primary to forward.
 */
export interface MetricsSink {
  accept(env: string, batch: SdkMetricsBatch): void;
}
