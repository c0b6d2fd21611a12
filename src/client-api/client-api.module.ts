// Owns the SDK-facing config reads: feature-configs and target-segments for server SDKs (and,
// with the evaluation issue, evaluations for client SDKs). Reads through the cache only.
import { Module } from '@nestjs/common';
import { CacheModule } from '../cache/cache.module.js';
import { ClientConfigController } from './client-config.controller.js';
import { ClientConfigService } from './client-config.service.js';

@Module({
  imports: [CacheModule],
  controllers: [ClientConfigController],
  providers: [ClientConfigService],
})
export class ClientApiModule {}
