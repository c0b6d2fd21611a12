import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import type { PostMetricsDto } from './dto/post-metrics.dto.js';
import { MetricsForwarder } from './metrics-forwarder.service.js';
import type { MetricsSink } from './metrics-sink.js';

/**
 * Takes SDK metrics in and hands them to the sink of this mode. Without one (offline, and with
 * METRIC_POST_DURATION=0) they are accepted and dropped, as Harness does.
 */
@Injectable()
export class SdkMetricsService {
  private readonly logger = new Logger(SdkMetricsService.name);
  private readonly sink: MetricsSink | undefined;
  private dropped = 0;

  constructor(
    private readonly config: AppConfig,
    forwarder: MetricsForwarder,
  ) {
    this.sink = sinkFor(config, forwarder);
  }

  /** Entries accepted and dropped because this mode forwards nothing. */
  get droppedCount(): number {
    return this.dropped;
  }

  accept(env: string, batch: PostMetricsDto): void {
    if (this.sink) {
      this.sink.accept(env, batch);
      return;
    }
    const entries = (batch.metricsData?.length ?? 0) + (batch.targetData?.length ?? 0);
    this.dropped += entries;
    this.logger.debug({ env, entries, mode: this.config.mode }, 'sdk metrics accepted');
  }
}

function sinkFor(config: AppConfig, forwarder: MetricsForwarder): MetricsSink | undefined {
  if (config.mode === 'replica') {
    // TODO(read replicas issue): XADD each batch to `stream:sdk_metrics` for the primary to
    // forward (cache-and-ha.md §5.3). Until then replicas accept and drop, like offline.
    return undefined;
  }
  // Enabled only on a primary with METRIC_POST_DURATION > 0.
  return forwarder.enabled ? forwarder : undefined;
}
