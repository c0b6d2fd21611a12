// Owns SDK usage metrics: POST /metrics/{env} intake and where they go, chosen here by mode: with
// Redis every instance appends them to a Redis stream, which the primary reads, batches and
// forwards to the Harness metrics service; a primary without Redis batches its own; offline drops
// them.
import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { CacheModule } from '../cache/cache.module.js';
import type { AppConfig } from '../config/app-config.js';
import { ROLE_METRIC_PROVIDERS } from '../metrics/metric-providers.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { SchedulingModule } from '../scheduling/scheduling.module.js';
import { UpstreamModule } from '../upstream/upstream.module.js';
import { flushInterval } from './forwarding-policy.js';
import { SdkMetricsForwarder } from './sdk-metrics-forwarder.service.js';
import { SdkMetricsSender } from './sdk-metrics-sender.service.js';
import { SdkMetricsSink } from './sdk-metrics-sink.js';
import { SdkMetricsStreamReader } from './sdk-metrics-stream.reader.js';
import { RedisSdkMetricsSink } from './redis-sdk-metrics.sink.js';
import { SdkMetricsController } from './sdk-metrics.controller.js';
import { SdkMetricsService } from './sdk-metrics.service.js';

function sinkProviders(config: AppConfig): Provider[] {
  if (config.mode === 'replica') {
    return [
      ...ROLE_METRIC_PROVIDERS.replicaMetricsSink,
      { provide: SdkMetricsSink, useClass: RedisSdkMetricsSink },
    ];
  }
  if (config.mode !== 'primary' || !flushInterval(config.sdkMetrics.postDurationSeconds)) {
    return [];
  }
  const forwarding = [SdkMetricsSender, SdkMetricsForwarder];
  if (!config.redis) {
    return [...forwarding, { provide: SdkMetricsSink, useExisting: SdkMetricsForwarder }];
  }
  return [
    ...forwarding,
    ...ROLE_METRIC_PROVIDERS.primaryMetricsReader,
    SdkMetricsStreamReader,
    { provide: SdkMetricsSink, useClass: RedisSdkMetricsSink },
  ];
}

@Module({})
export class SdkMetricsModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: SdkMetricsModule,
      imports: [CacheModule, UpstreamModule, MetricsModule, SchedulingModule],
      controllers: [SdkMetricsController],
      providers: [SdkMetricsService, ...sinkProviders(config)],
      // OFREP counts its evaluations into the same intake.
      exports: [SdkMetricsService],
    };
  }
}
