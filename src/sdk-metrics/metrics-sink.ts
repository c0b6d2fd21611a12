import type { SdkMetricsBatch } from './metrics-batch.js';

/**
 * Where the intake hands accepted SDK metrics; chosen once when modules are wired. With Redis,
 * every instance appends them to the stream the primary forwards from (`RedisMetricsSink`); a
 * primary without Redis batches and forwards them itself (`MetricsForwarder`). Offline there is
 * none. The SDK is answered once `accept` settles; a rejection is its error answer.
 */
export abstract class MetricsSink {
  abstract accept(env: string, batch: SdkMetricsBatch): Promise<void> | void;
}
