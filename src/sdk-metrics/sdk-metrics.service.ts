import { Injectable, Logger, Optional } from '@nestjs/common';
import type { PostMetricsDto } from './dto/post-metrics.dto.js';
import { SdkMetricsSink } from './sdk-metrics-sink.js';

/**
 * Takes SDK metrics in and hands them to the sink of this mode. Without one (offline, and with
 * METRIC_POST_DURATION=0) they are accepted and dropped, as Harness does.
 */
@Injectable()
export class SdkMetricsService {
  private readonly logger = new Logger(SdkMetricsService.name);
  private dropped = 0;

  constructor(@Optional() private readonly sink?: SdkMetricsSink) {}

  /** Entries accepted and dropped because this mode forwards nothing. */
  get droppedCount(): number {
    return this.dropped;
  }

  async accept(env: string, batch: PostMetricsDto): Promise<void> {
    if (this.sink) {
      await this.sink.accept(env, batch);
      return;
    }
    const entries = (batch.metricsData?.length ?? 0) + (batch.targetData?.length ?? 0);
    this.dropped += entries;
    this.logger.debug({ env, entries }, 'sdk metrics accepted and dropped: nowhere to send them');
  }
}
