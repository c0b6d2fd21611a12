import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { CACHE_KEYS } from '../cache/cache-keys.js';
import { CacheStore } from '../cache/cache-store.js';
import { RedisStreams, type StreamSubscription } from '../cache/redis-streams.js';
import { STREAM_PREFIXES } from '../metrics/metric-names.js';
import type { StreamCounters } from '../metrics/stream-counters.js';
import type { SdkMetricsBatch } from './metrics-batch.js';
import { MetricsForwarder } from './metrics-forwarder.service.js';

/**
 * The primary's side of `stream:sdk_metrics` (`cache-and-ha.md` §5.3): what read replicas took
 * from their SDKs goes into the same forwarding pipeline as the primary's own. The position of
 * the last message whose metrics reached the upstream is stored in Redis, so a restarted primary
 * resumes there (Harness starts at `$` and loses what came in meanwhile). At least once: a
 * primary that dies between a post and storing the position sends those metrics again.
 */
@Injectable()
export class MetricsStreamReader implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MetricsStreamReader.name);
  private subscription?: StreamSubscription;

  constructor(
    private readonly streams: RedisStreams,
    private readonly store: CacheStore,
    private readonly forwarder: MetricsForwarder,
    @InjectMetric(STREAM_PREFIXES.primaryMetricsConsumer) private readonly counters: StreamCounters,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const stored = await this.store.get(CACHE_KEYS.sdkMetricsPosition).catch(() => null);
    const from = stored ?? (await this.streams.lastId(CACHE_KEYS.sdkMetricsStream));
    this.subscription = this.streams.subscribe(
      CACHE_KEYS.sdkMetricsStream,
      from,
      (message) => this.accept(message.json),
      this.counters,
    );
    this.forwarder.useCheckpoint({
      mark: () => this.subscription?.position ?? from,
      commit: (position) => this.store.set([[CACHE_KEYS.sdkMetricsPosition, position]]),
    });
    this.logger.log({ from }, 'forwarding the sdk metrics of read replicas');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscription?.close();
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
