import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { CacheHealthService } from '../cache/cache-health.service.js';
import { CACHE_KEYS } from '../cache/cache-keys.js';
import { RedisStreams, type StreamSubscription } from '../cache/streams/redis-streams.js';
import { StreamPositions } from '../cache/streams/stream-positions.js';
import { AppConfig } from '../config/app-config.js';
import { STREAM_PREFIXES } from '../metrics/metric-names.js';
import type { StreamCounters } from '../metrics/stream-counters.js';
import type { SdkMetricsBatch } from './sdk-metrics-batch.js';
import { SdkMetricsForwarder } from './sdk-metrics-forwarder.service.js';

/**
 * The primary's side of `stream:sdk_metrics` (docs/redis-layout.md): what read replicas took
 * from their SDKs goes into the same forwarding pipeline as the primary's own. Where to resume
 * is stored in Redis from the first read on (Harness starts at `$` and loses what came in while
 * no primary read): the first primary, or the first replica to append if it came earlier,
 * stores the end of the stream as it found it, and each flush that left nothing to retry moves
 * the position to the last message it covered. So a primary killed at any moment, even before
 * its first flush, leaves its successor where the metrics stopped reaching the upstream. At
 * least once: what was posted upstream after the last stored position is posted again.
 * METRICS_STREAM_READ_CONCURRENCY (the Go proxy's number of decoders) is how many messages one
 * read takes and decodes before the next: what the primary holds in hand at once.
 */
@Injectable()
export class SdkMetricsStreamReader implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SdkMetricsStreamReader.name);
  private subscription?: StreamSubscription;
  private unsubscribe?: () => void;
  /** The last position this primary stored, so an idle flush does not write it again. */
  private committed?: string;

  constructor(
    private readonly config: AppConfig,
    private readonly streams: RedisStreams,
    private readonly positions: StreamPositions,
    private readonly forwarder: SdkMetricsForwarder,
    private readonly health: CacheHealthService,
    @InjectMetric(STREAM_PREFIXES.primaryMetricsConsumer) private readonly counters: StreamCounters,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const from = await this.positions.claim(
      CACHE_KEYS.sdkMetricsPosition,
      CACHE_KEYS.sdkMetricsStream,
    );
    this.committed = from;
    this.subscription = this.streams.subscribe(
      CACHE_KEYS.sdkMetricsStream,
      from,
      (message) => this.accept(message.json),
      this.counters,
      this.config.sdkMetrics.streamReadConcurrency,
    );
    this.forwarder.useCheckpoint({
      mark: () => this.subscription?.position ?? from,
      commit: (position) => this.commit(position),
    });
    // What this primary read is safe only in Redis and in its memory: while Redis is in trouble
    // (it may come back empty), forward it now rather than at the next interval.
    this.unsubscribe = this.health.onFailed(() => {
      this.logger.log('cache unavailable: forwarding the sdk metrics read so far now');
      this.forwarder.flush().catch(() => undefined);
    });
    this.logger.log({ from }, 'forwarding the sdk metrics of every instance');
  }

  async onApplicationShutdown(): Promise<void> {
    this.unsubscribe?.();
    await this.subscription?.close();
  }

  private async commit(position: string): Promise<void> {
    if (position === this.committed) {
      return;
    }
    try {
      if (!(await this.positions.advance(CACHE_KEYS.sdkMetricsPosition, position))) {
        // Only another reader moves it after boot: a second primary forwards these metrics too.
        this.logger.warn({ position }, 'sdk metrics position not moved: redis holds a later one');
      }
      this.committed = position;
    } catch (err) {
      // The next flush stores a later one; until then a successor would post these again.
      this.logger.warn({ err, position }, 'could not store the sdk metrics position');
    }
  }

  private accept(json: string): void {
    const message = JSON.parse(json) as SdkMetricsBatch & { environment_id?: unknown };
    if (typeof message.environment_id !== 'string' || !message.environment_id) {
      this.logger.warn('sdk metrics message without an environment: skipped');
      return;
    }
    const { metricsData, targetData } = message;
    this.forwarder.accept(message.environment_id, {
      ...(Array.isArray(metricsData) ? { metricsData } : {}),
      ...(Array.isArray(targetData) ? { targetData } : {}),
    });
  }
}
