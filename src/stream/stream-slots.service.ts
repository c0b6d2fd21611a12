import { Injectable, Logger } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter, Gauge } from 'prom-client';
import { StreamLimitError } from '../common/errors/proxy-error.js';
import { AppConfig } from '../config/app-config.js';
import { METRIC_NAMES } from '../metrics/metric-names.js';
import type { SseConnection } from './sse-connection.js';

/** One held stream's place in the count; `release()` may be called more than once. */
export interface StreamSlot {
  release(): void;
}

/** A full instance says so at most this often, with the count refused since. */
const WARN_INTERVAL_MS = 60_000;

/**
 * `Retry-After` of a refused stream, 15–45 s. Harness SDKs ignore it (the Node SDK retries after
 * its own 5–10 s × attempt, at most 60 s, and polls meanwhile); for clients that honour it, the
 * jitter keeps the streams refused together (an instance lost, its SDKs arriving at once) from
 * all coming back in the same second.
 */
export function retryAfterSeconds(random: () => number = Math.random): number {
  return 15 + Math.floor(random() * 31);
}

/**
 * Counts every long-lived stream this instance holds against `SDK_STREAM_LIMIT`, whatever kind
 * it is: a route that holds a response open takes a slot before it commits to the answer and
 * releases it when the connection closes. `take()` checks and counts in one synchronous step,
 * so concurrent requests can never both pass the check for the last slot.
 */
@Injectable()
export class StreamSlots {
  private readonly logger = new Logger(StreamSlots.name);
  private count = 0;
  private refusedSinceWarning = 0;
  private lastWarningAt = Number.NEGATIVE_INFINITY;
  readonly limit: number;

  constructor(
    config: AppConfig,
    @InjectMetric(METRIC_NAMES.sdkStreams) private readonly heldGauge: Gauge,
    @InjectMetric(METRIC_NAMES.sdkStreamsLimit) limitGauge: Gauge,
    @InjectMetric(METRIC_NAMES.sdkStreamsRefused) private readonly refused: Counter<'reason'>,
  ) {
    this.limit = config.sdkStreams.limit;
    limitGauge.set(this.limit);
    heldGauge.set(0);
    // At 0 from the start, so `increase()` over the first refusal is not lost.
    refused.inc({ reason: 'limit' }, 0);
  }

  /** Streams held now, of every kind. */
  get held(): number {
    return this.count;
  }

  /** A slot, or a 503 {@link StreamLimitError} when every slot is taken. */
  take(): StreamSlot {
    if (this.limit > 0 && this.count >= this.limit) {
      this.refused.inc({ reason: 'limit' });
      this.warnFull();
      throw new StreamLimitError(this.limit, retryAfterSeconds());
    }
    this.count += 1;
    this.heldGauge.set(this.count);
    let released = false;
    return {
      release: () => {
        if (!released) {
          released = true;
          this.count -= 1;
          this.heldGauge.set(this.count);
        }
      },
    };
  }

  /**
   * Opens a stream in a slot of its own (503 when none is left), in one synchronous step with
   * the count, so no other request takes that slot in between; the slot is freed when the
   * connection closes, or at once if opening it fails.
   */
  open(open: () => SseConnection): SseConnection {
    const slot = this.take();
    let connection: SseConnection;
    try {
      connection = open();
    } catch (error) {
      slot.release();
      throw error;
    }
    connection.onClose(() => slot.release());
    return connection;
  }

  private warnFull(): void {
    this.refusedSinceWarning += 1;
    const now = Date.now();
    if (now - this.lastWarningAt >= WARN_INTERVAL_MS) {
      this.logger.warn(
        { limit: this.limit, refused: this.refusedSinceWarning },
        'sdk stream limit reached: new streams refused with 503 (SDKs poll meanwhile)',
      );
      this.lastWarningAt = now;
      this.refusedSinceWarning = 0;
    }
  }
}
