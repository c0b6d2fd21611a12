import { randomUUID } from 'node:crypto';
import { type BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';
import { CACHE_KEYS } from '../cache/cache-keys.js';
import { RedisStreams } from '../cache/redis-streams.js';
import { StreamPositions } from '../cache/stream-positions.js';
import { AppConfig } from '../config/app-config.js';
import { type DroppedLabel, METRIC_NAMES, STREAM_PREFIXES } from '../metrics/metric-names.js';
import type { StreamCounters } from '../metrics/stream-counters.js';
import { MAX_RETAINED_BYTES } from './forwarding-policy.js';
import type { SdkMetricsBatch } from './metrics-batch.js';
import { MetricsSink } from './metrics-sink.js';

const RETRY_MS = 1_000;
const SHUTDOWN_DRAIN_MS = 5_000;

interface Pending {
  env: string;
  json: string;
  /** Lets the primary skip it if a retry writes it twice. */
  id: string;
}

/**
 * A read replica's SDK metrics go to its primary through `stream:sdk_metrics`
 * (docs/redis-layout.md), one message per SDK request. The SDK is answered at once; messages
 * Redis cannot take yet wait in order (16 MiB at most, then the oldest are dropped and counted)
 * and are appended once it answers again, so a Redis restart loses none. Before its first append
 * a replica makes sure the primary's position exists (`StreamPositions.claim`): a replica that
 * takes metrics before any primary has read the stream leaves them ahead of where one starts.
 */
@Injectable()
export class RedisMetricsSink extends MetricsSink implements BeforeApplicationShutdown {
  private readonly logger = new Logger(RedisMetricsSink.name);
  private readonly pending: Pending[] = [];
  private pendingBytes = 0;
  private draining?: Promise<void>;
  private positionClaimed = false;

  constructor(
    private readonly config: AppConfig,
    private readonly streams: RedisStreams,
    private readonly positions: StreamPositions,
    @InjectMetric(METRIC_NAMES.sdkMetricsDropped) private readonly dropped: Counter<DroppedLabel>,
    @InjectMetric(STREAM_PREFIXES.replicaMetricsProducer) private readonly counters: StreamCounters,
  ) {
    super();
  }

  accept(env: string, batch: SdkMetricsBatch): void {
    const json = JSON.stringify({
      environment_id: env,
      ...(batch.metricsData ? { metricsData: batch.metricsData } : {}),
      ...(batch.targetData ? { targetData: batch.targetData } : {}),
    });
    this.pending.push({ env, json, id: randomUUID() });
    this.pendingBytes += json.length;
    while (this.pendingBytes > MAX_RETAINED_BYTES && this.pending.length > 1) {
      const oldest = this.pending.shift() as Pending;
      this.pendingBytes -= oldest.json.length;
      this.dropped.inc({ envID: oldest.env, kind: 'request', reason: 'overflow' });
    }
    this.draining ??= this.drain().finally(() => (this.draining = undefined));
  }

  /** Gives what is still waiting one last chance before Redis closes. */
  async beforeApplicationShutdown(): Promise<void> {
    // A Redis that is gone would keep the drain retrying: give it a few seconds, not forever.
    const bounded = new Promise((resolve) => setTimeout(resolve, SHUTDOWN_DRAIN_MS).unref());
    await Promise.race([this.draining, bounded]);
    if (this.pending.length > 0) {
      this.logger.warn({ requests: this.pending.length }, 'sdk metrics not handed to the primary');
    }
  }

  private async drain(): Promise<void> {
    let next: Pending | undefined;
    while ((next = this.pending[0])) {
      try {
        if (!this.positionClaimed) {
          await this.positions.claim(CACHE_KEYS.sdkMetricsPosition, CACHE_KEYS.sdkMetricsStream);
          this.positionClaimed = true;
        }
        await this.streams.append(
          CACHE_KEYS.sdkMetricsStream,
          next.json,
          this.config.sdkMetrics.streamMaxLen,
          next.id,
        );
        this.counters.published(CACHE_KEYS.sdkMetricsStream);
        // Unless an overflow dropped it (and counted its bytes) meanwhile.
        if (this.pending[0] === next) {
          this.pending.shift();
          this.pendingBytes -= next.json.length;
        }
      } catch (err) {
        this.counters.published(CACHE_KEYS.sdkMetricsStream, 'err_publishing');
        this.logger.warn({ err, waiting: this.pending.length }, 'redis did not take sdk metrics');
        // Redis may come back empty, without the position: make sure of it again first.
        this.positionClaimed = false;
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS).unref());
      }
    }
  }
}
