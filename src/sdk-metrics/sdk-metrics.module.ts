// Owns SDK usage metrics: POST /metrics/{env} intake and, in primary mode, batching and
// forwarding them to the Harness metrics service through the upstream client.
import { Module } from '@nestjs/common';
import { UpstreamModule } from '../upstream/upstream.module.js';
import { FORWARDING_METRIC_PROVIDERS } from './forwarding-metrics.js';
import { MetricsForwarder } from './metrics-forwarder.service.js';
import { MetricsSender } from './metrics-sender.service.js';
import { SdkMetricsController } from './sdk-metrics.controller.js';
import { SdkMetricsService } from './sdk-metrics.service.js';

@Module({
  imports: [UpstreamModule],
  controllers: [SdkMetricsController],
  providers: [SdkMetricsService, MetricsForwarder, MetricsSender, ...FORWARDING_METRIC_PROVIDERS],
  exports: [SdkMetricsService],
})
export class SdkMetricsModule {}
