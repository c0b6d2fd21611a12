import { randomUUID } from 'node:crypto';
import { Injectable, Logger, type OnModuleInit, Optional } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { CACHE_KEYS } from '../cache/cache-keys.js';
import { RedisStreams } from '../cache/streams/redis-streams.js';
import { StreamPositions } from '../cache/streams/stream-positions.js';
import { MetricsNotStoredError } from '../common/errors/proxy-error.js';
import { within } from '../common/within.js';
import { AppConfig } from '../config/app-config.js';
import { STREAM_PREFIXES } from '../metrics/metric-names.js';
import type { StreamCounters } from '../metrics/stream-counters.js';
import { ScheduledJobs } from '../scheduling/scheduled-jobs.service.js';
import { MAX_RETAINED_BYTES } from './forwarding-policy.js';
import type { SdkMetricsBatch } from './sdk-metrics-batch.js';
import { type Appended, SdkMetricsCustody } from './sdk-metrics-custody.js';
import { SdkMetricsSink } from './sdk-metrics-sink.js';

/** An SDK waits at most this long for its metrics to be stored before it is told to retry. */
const APPEND_DEADLINE_MS = 3_000;
const CUSTODY_CHECK_MS = 5_000;
const STREAM = CACHE_KEYS.sdkMetricsStream;

/**
 * Every instance's SDK metrics go to the primary's forwarder through `stream:sdk_metrics`
 * (docs/redis-layout.md), one message per SDK request; the primary's own too, so that a primary
 * killed before it flushed leaves them to its successor. An SDK is answered 200 only once Redis
 * took its metrics, 503 `METRICS_NOT_STORED` otherwise (SDKs post them again): nothing is
 * acknowledged that a killed instance would lose. What was appended stays in custody until the
 * primary's stored position passes it, and is appended again if Redis lost it meanwhile (came
 * back empty, failed over before replicating it). Before its first append an instance makes sure
 * the primary's position exists (`StreamPositions.claim`).
 */
@Injectable()
export class RedisSdkMetricsSink extends SdkMetricsSink implements OnModuleInit {
  private readonly logger = new Logger(RedisSdkMetricsSink.name);
  private readonly custody = new SdkMetricsCustody(MAX_RETAINED_BYTES);
  private positionClaimed = false;
  private failing = false;

  constructor(
    private readonly config: AppConfig,
    private readonly streams: RedisStreams,
    private readonly positions: StreamPositions,
    private readonly jobs: ScheduledJobs,
    /** A replica's producer counters (Harness names); a primary appending its own has none. */
    @Optional()
    @InjectMetric(STREAM_PREFIXES.replicaMetricsProducer)
    private readonly counters?: StreamCounters,
  ) {
    super();
  }

  onModuleInit(): void {
    this.jobs.every('sdk-metrics-custody', CUSTODY_CHECK_MS, () => this.checkCustody());
  }

  async accept(env: string, batch: SdkMetricsBatch): Promise<void> {
    const json = JSON.stringify({
      environment_id: env,
      ...(batch.metricsData ? { metricsData: batch.metricsData } : {}),
      ...(batch.targetData ? { targetData: batch.targetData } : {}),
    });
    const producerId = randomUUID();
    try {
      const id = await within(
        this.append(json, producerId),
        APPEND_DEADLINE_MS,
        'answer from redis',
      );
      this.custody.keep({ id, json, producerId });
      this.failing = false;
    } catch (err) {
      if (!this.failing) {
        this.logger.warn({ err }, 'redis did not take sdk metrics: sdks are told to post again');
        this.failing = true;
      }
      throw new MetricsNotStoredError();
    }
  }

  /** How many appended requests wait for the primary to forward them. */
  get inCustody(): number {
    return this.custody.size;
  }

  private async append(json: string, producerId: string): Promise<string> {
    try {
      if (!this.positionClaimed) {
        await this.positions.claim(CACHE_KEYS.sdkMetricsPosition, STREAM);
        this.positionClaimed = true;
      }
      const id = await this.streams.append(
        STREAM,
        json,
        this.config.sdkMetrics.streamMaxLen,
        producerId,
      );
      this.counters?.published(STREAM);
      return id;
    } catch (err) {
      this.counters?.published(STREAM, 'err_publishing');
      // Redis may come back empty, without the position: make sure of it again first.
      this.positionClaimed = false;
      throw err;
    }
  }

  /** Lets go of what was forwarded; appends again what Redis lost before it was. */
  private async checkCustody(): Promise<void> {
    if (!this.custody.oldest) {
      return;
    }
    const position = await this.positions.stored(CACHE_KEYS.sdkMetricsPosition);
    if (position !== null) {
      this.custody.forwardedUpTo(position);
    }
    const oldest = this.custody.oldest as Appended | undefined;
    if (!oldest) {
      return;
    }
    const { found, length } = await this.streams.holds(STREAM, oldest.id);
    if (found) {
      return;
    }
    const kept = this.custody.takeAll();
    if (length >= this.config.sdkMetrics.streamMaxLen) {
      // Trimmed by MAXLEN while no primary read: an overflow, not a loss of Redis's data.
      this.logger.warn(
        { requests: kept.length },
        'sdk metrics trimmed from the full stream unread',
      );
      return;
    }
    this.logger.warn(
      { requests: kept.length },
      'redis lost sdk metrics not yet forwarded: appending them again',
    );
    // The position went with them: claimed again before the first append, so that a primary
    // that starts now reads them rather than starting after them.
    this.positionClaimed = false;
    await this.appendAgain(kept);
  }

  private async appendAgain(entries: Appended[]): Promise<void> {
    for (const [index, entry] of entries.entries()) {
      try {
        const id = await this.append(entry.json, entry.producerId);
        this.custody.keep({ ...entry, id });
      } catch {
        // Kept under their old ids: the next check finds them missing and tries again.
        entries.slice(index).forEach((rest) => this.custody.keep(rest));
        return;
      }
    }
  }
}
