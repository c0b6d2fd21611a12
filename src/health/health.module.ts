// Owns GET /health: config sync state, upstream stream state and cache reachability, for load
// balancers and Kubernetes probes.
import { Module } from '@nestjs/common';
import { CacheModule } from '../cache/cache.module.js';
import { StatusModule } from '../status/status.module.js';
import { HealthController } from './health.controller.js';
import { HealthService } from './health.service.js';

@Module({
  imports: [CacheModule, StatusModule],
  controllers: [HealthController],
  providers: [HealthService],
})
export class HealthModule {}
