// Owns how periodic work runs (heartbeat, cache checks, stream-health verifier, replica status
// broadcast, SDK metrics flushes): one runner with jitter, overlap skip and a duration histogram.
import { Module } from '@nestjs/common';
import { MetricsModule } from '../metrics/metrics.module.js';
import { ScheduledJobs } from './scheduled-jobs.service.js';

@Module({ imports: [MetricsModule], providers: [ScheduledJobs], exports: [ScheduledJobs] })
export class SchedulingModule {}
