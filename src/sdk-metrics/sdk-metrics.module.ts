// Owns SDK usage metrics: POST /metrics/{env} intake and, in primary mode, batching and
// forwarding them to the Harness metrics service through the upstream client.
import { Module } from '@nestjs/common';
import { UpstreamModule } from '../upstream/upstream.module.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { MetricsForwarder } from './metrics-forwarder.service.js';
import { MetricsSender } from './metrics-sender.service.js';
import { SdkMetricsController } from './sdk-metrics.controller.js';
import { SdkMetricsService } from './sdk-metrics.service.js';

@Module({
  imports: [UpstreamModule, MetricsModule],
  controllers: [SdkMetricsController],
  providers: [SdkMetricsService, MetricsForwarder, MetricsSender],
  exports: [SdkMetricsService],
})
export class SdkMetricsModule {}
