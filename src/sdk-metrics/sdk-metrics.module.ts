// Owns SDK usage metrics: POST /metrics/{env} intake (and, in primary mode, batching and
// forwarding upstream).
import { Module } from '@nestjs/common';
import { SdkMetricsController } from './sdk-metrics.controller.js';
import { SdkMetricsService } from './sdk-metrics.service.js';

@Module({
  controllers: [SdkMetricsController],
  providers: [SdkMetricsService],
  exports: [SdkMetricsService],
})
export class SdkMetricsModule {}
