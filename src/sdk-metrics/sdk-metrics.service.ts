import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import type { PostMetricsDto } from './dto/post-metrics.dto.js';

/**
 * Takes SDK metrics in. Offline (and with METRIC_POST_DURATION=0) they are accepted and dropped,
 * as Harness does; forwarding upstream belongs to primary mode.
 */
@Injectable()
export class SdkMetricsService {
  private readonly logger = new Logger(SdkMetricsService.name);
  private dropped = 0;

  constructor(private readonly config: AppConfig) {}

  get droppedCount(): number {
    return this.dropped;
  }

  accept(env: string, batch: PostMetricsDto): void {
    const entries = (batch.metricsData?.length ?? 0) + (batch.targetData?.length ?? 0);
    this.dropped += entries;
    this.logger.debug({ env, entries, mode: this.config.mode }, 'sdk metrics accepted');
  }
}
