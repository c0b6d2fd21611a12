import type { SdkMetricsBatch } from './sdk-metrics-batch.js';

/**
 * Where the intake hands accepted SDK metrics; chosen once when modules are wired. With Redis,
 * every instance appends them to the stream the primary forwards from (`RedisSdkMetricsSink`); a
 * primary without Redis batches and forwards them itself (`SdkMetricsForwarder`). Offline there is
 * none. The SDK is answered once `accept` settles; a rejection is its error answer.
 */
export abstract class SdkMetricsSink {
  abstract accept(env: string, batch: SdkMetricsBatch): Promise<void> | void;
}
