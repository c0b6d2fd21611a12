// Owns the SDK-facing config reads: feature-configs and target-segments for server SDKs, and
// evaluations for client SDKs. Reads through the cache only; compresses shared bodies once each.
import { Module } from '@nestjs/common';
import { CacheModule } from '../cache/cache.module.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { ClientConfigController } from './client-config.controller.js';
import { ClientEvaluationController } from './client-evaluation.controller.js';
import { ClientEvaluationService } from './client-evaluation.service.js';
import { ClientConfigService } from './client-config.service.js';
import { CompressedBodies } from './compressed-bodies.js';

@Module({
  imports: [CacheModule, MetricsModule],
  controllers: [ClientConfigController, ClientEvaluationController],
  providers: [ClientConfigService, ClientEvaluationService, CompressedBodies],
  exports: [CompressedBodies],
})
export class ClientApiModule {}
