import { setTimeout as delay } from 'node:timers/promises';
import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnModuleInit,
} from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';
import { AppConfig } from '../config/app-config.js';
import { type DroppedLabel, METRIC_NAMES } from '../metrics/metric-names.js';
import { UpstreamError } from '../upstream/upstream-error.js';
import { ScheduledJobs } from '../scheduling/scheduled-jobs.service.js';
import {
  FLUSH_AT_BYTES,
  flushInterval,
  type FlushInterval,
  MAX_RETAINED_BYTES,
  retryDecision,
} from './forwarding-policy.js';
import type { PartEntries, PartKind, SdkMetricsBatch } from './sdk-metrics-batch.js';
import { SdkMetricsBuffer } from './sdk-metrics-buffer.js';
import { SdkMetricsSender, type PartSender } from './sdk-metrics-sender.service.js';
import { SdkMetricsSink } from './sdk-metrics-sink.js';
import type { BufferedPart } from './part-buffer.js';

export interface FlushCheckpoint {
  mark(): string;
  commit(mark: string): Promise<void>;
}

const FLUSH_JOB = 'sdk-metrics-flush';
const MAX_JITTER_MS = 10_000;
/** A hung upstream must not hold the shutdown past what orchestrators allow (k8s: 30 s). */
const SHUTDOWN_FLUSH_MS = 10_000;
const AUTH_RETRY_MS = 5_000;

/**
 * The primary's metrics pipeline (docs/upstream.md): buffers SDK metrics per environment
 * and posts them upstream every METRIC_POST_DURATION seconds, as soon as 1 MiB is buffered, and
 * once more at shutdown. Failed POSTs are kept and retried with the next flush, within bounds.
 */
@Injectable()
export class SdkMetricsForwarder
  extends SdkMetricsSink
  implements OnModuleInit, BeforeApplicationShutdown
{
  private readonly logger = new Logger(SdkMetricsForwarder.name);
  private readonly buffer = new SdkMetricsBuffer();
  private readonly interval: FlushInterval | undefined;
  /** Flushes run one after another; this is the end of the queue. */
  private tail: Promise<void> = Promise.resolve();
  private activeFlushes = 0;
  private sizeFlushQueued = false;
  private checkpoint?: FlushCheckpoint;
  /** A flush soon after one the upstream refused for its credentials (a proxy-key switch). */
  private authRetry?: NodeJS.Timeout;
  private authRefused = false;

  constructor(
    private readonly config: AppConfig,
    @Inject(SdkMetricsSender) private readonly sender: PartSender,
    private readonly jobs: ScheduledJobs,
    @InjectMetric(METRIC_NAMES.sdkMetricsDropped) private readonly dropped: Counter<DroppedLabel>,
  ) {
    super();
    this.interval = flushInterval(config.sdkMetrics.postDurationSeconds);
  }

  /**
   * Called around each flush: `mark()` as it drains the buffer, `commit(mark)` once everything
   * drained was posted or given up (and counted), none kept for a retry. What arrived during
   * the flush is after the mark and does not hold the commit back. The Redis stream reader uses
   * it to remember how far the metrics it read have reached the upstream.
   */
  useCheckpoint(checkpoint: FlushCheckpoint): void {
    this.checkpoint = checkpoint;
  }

  /** False with METRIC_POST_DURATION=0. */
  get enabled(): boolean {
    return this.interval !== undefined;
  }

  /** Estimated bytes waiting for the next flush, retries included. */
  get bufferedBytes(): number {
    return this.buffer.retainedBytes;
  }

  onModuleInit(): void {
    if (!this.interval) {
      return;
    }
    if (this.interval.raised) {
      this.logger.warn(
        { configured: this.config.sdkMetrics.postDurationSeconds, used: this.interval.seconds },
        'METRIC_POST_DURATION is below the 60 s minimum: raised to 60 s',
      );
    }
    this.schedule(this.interval.seconds * 1000);
  }

  accept(env: string, batch: SdkMetricsBatch): void {
    this.buffer.add(env, batch);
    if (this.buffer.pendingBytes >= FLUSH_AT_BYTES && !this.sizeFlushQueued) {
      this.sizeFlushQueued = true;
      this.flush().catch((err: unknown) => this.logger.warn({ err }, 'sdk metrics flush failed'));
    }
  }

  /** Posts everything buffered; called while a flush runs, it runs right after that one. */
  flush(): Promise<void> {
    this.activeFlushes += 1;
    const run = this.tail
      .then(() => this.flushOnce())
      .finally(() => {
        this.activeFlushes -= 1;
      });
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** Runs before the upstream client closes, so the last batch still goes out. */
  async beforeApplicationShutdown(): Promise<void> {
    clearTimeout(this.authRetry);
    if (!this.enabled) {
      return;
    }
    const done = await Promise.race([
      this.flush().then(() => true),
      delay(SHUTDOWN_FLUSH_MS, false, { ref: false }),
    ]);
    if (!done || this.buffer.retainedBytes > 0) {
      this.logger.warn(
        { bytes: this.buffer.retainedBytes, finished: done },
        'sdk metrics could not all be forwarded before shutdown and are lost',
      );
    }
  }

  private schedule(intervalMs: number): void {
    // The first flush one interval after start, plus jitter so that proxies restarted together
    // do not flush in step. A timer tick while a flush (size-triggered, say) runs is skipped.
    this.jobs.every(
      FLUSH_JOB,
      intervalMs,
      () => (this.activeFlushes > 0 ? Promise.resolve() : this.flush()),
      { initialDelayMs: intervalMs, maxJitterMs: MAX_JITTER_MS },
    );
  }

  private async flushOnce(): Promise<void> {
    const started = Date.now();
    // From here on, new requests count towards the next size-triggered flush.
    this.sizeFlushQueued = false;
    const mark = this.checkpoint?.mark();
    const drained = this.buffer.drain();
    let kept = 0;
    for (const part of drained.metricsData) {
      kept += (await this.send('metricsData', part)) ? 1 : 0;
    }
    for (const part of drained.targetData) {
      kept += (await this.send('targetData', part)) ? 1 : 0;
    }
    for (const evicted of this.buffer.evictOldest(MAX_RETAINED_BYTES)) {
      this.drop(evicted.kind, evicted.env, evicted.entries, 'overflow');
    }
    if (mark !== undefined && kept === 0) {
      await this.checkpoint?.commit(mark);
    }
    this.retrySoonAfterAuthRefusal();
    const posts = drained.metricsData.length + drained.targetData.length;
    if (posts > 0) {
      this.logger.debug({ posts, durationMs: Date.now() - started }, 'sdk metrics flushed');
    }
  }

  /**
   * A 401/403 mostly means the proxy key was switched while the flush ran: the next call signs
   * in with the key now in service, so try again in seconds rather than a whole interval later
   * (the primary may not live that long).
   */
  private retrySoonAfterAuthRefusal(): void {
    if (!this.authRefused || this.authRetry) {
      return;
    }
    this.authRefused = false;
    this.authRetry = setTimeout(() => {
      this.authRetry = undefined;
      this.flush().catch((err: unknown) => this.logger.warn({ err }, 'sdk metrics flush failed'));
    }, AUTH_RETRY_MS);
    this.authRetry.unref();
  }

  /** Posts one part; true when it failed and was kept for the next flush. */
  private async send<K extends PartKind>(
    kind: K,
    part: BufferedPart<PartEntries[K]>,
  ): Promise<boolean> {
    const error = await this.sender.send(kind, part.env, part.entries);
    if (error === undefined) {
      return false;
    }
    const failures = part.failures + 1;
    const decision = retryDecision(error, failures);
    if (decision !== 'retry') {
      this.drop(kind, part.env, part.entries.length, decision, error);
      return false;
    }
    this.logger.warn(
      { err: error, env: part.env, kind, failures },
      'could not forward sdk metrics: keeping them for the next flush',
    );
    const status = error instanceof UpstreamError ? error.status : 0;
    this.authRefused ||= status === 401 || status === 403;
    this.buffer.restore(kind, { ...part, failures });
    return true;
  }

  private drop(kind: PartKind, env: string, entries: number, reason: string, err?: unknown): void {
    this.logger.warn({ err, env, kind, entries, reason }, 'giving up forwarding sdk metrics');
    this.dropped.inc({ envID: env, kind, reason }, entries);
  }
}
