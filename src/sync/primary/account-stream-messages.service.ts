import { Injectable, Logger } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { STREAM_PREFIXES } from '../../metrics/metric-names.js';
import type { StreamCounters } from '../../metrics/stream-counters.js';
import { parseUpstreamEvent } from '../upstream-event.js';
import { SyncQueue } from './sync-queue.service.js';
import { UpstreamEventApplier } from './upstream-event-applier.service.js';

/** The account stream's one topic, as Harness labels it (`stream=*`). */
export const ACCOUNT_TOPIC = '*';

/** What the account stream delivers: each message decoded, counted and queued to be applied. */
@Injectable()
export class AccountStreamMessages {
  private readonly logger = new Logger(AccountStreamMessages.name);

  constructor(
    private readonly applier: UpstreamEventApplier,
    private readonly queue: SyncQueue,
    @InjectMetric(STREAM_PREFIXES.saasToPrimary) private readonly sse: StreamCounters,
  ) {}

  /** One more connection attempt (Harness counts them as subscriptions). */
  subscribed(): void {
    this.sse.subscribed(ACCOUNT_TOPIC);
  }

  /** Handles one `data:` payload; `end` closes the stream (an `endOfStream` message). */
  receive(data: string, end: () => void): void {
    const event = parseUpstreamEvent(data);
    if (!event) {
      this.sse.received(ACCOUNT_TOPIC, 'err_parsing_message');
      this.logger.warn('skipping an upstream stream message that is not a JSON object');
      return;
    }
    if (event.event === 'endOfStream') {
      // A graceful close from upstream: handled like any other end of stream.
      this.sse.received(ACCOUNT_TOPIC, 'stream_disconnect');
      end();
      return;
    }
    void this.queue.enqueue(() =>
      this.applier.apply(event).then(
        () => this.sse.received(ACCOUNT_TOPIC),
        (err: unknown) => {
          this.sse.received(ACCOUNT_TOPIC, 'unexpected_error');
          // Most likely the cache failed: the reload once it answers again brings the change.
          this.queue.markDirty(err);
          this.logger.warn({ err, event: event.event }, 'upstream event not applied');
        },
      ),
    );
  }
}
