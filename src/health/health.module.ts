// Owns GET /health (config sync state, upstream stream state, cache reachability) for load
// balancers and Kubernetes probes, and the self-heartbeat that calls it.
import { Module } from '@nestjs/common';
import { CacheModule } from '../cache/cache.module.js';
import { SchedulingModule } from '../scheduling/scheduling.module.js';
import { StatusModule } from '../status/status.module.js';
import { HealthController } from './health.controller.js';
import { HealthService } from './health.service.js';
import { HeartbeatService } from './heartbeat.service.js';

@Module({
  imports: [CacheModule, SchedulingModule, StatusModule],
  controllers: [HealthController],
  providers: [HealthService, HeartbeatService],
})
export class HealthModule {}
