import { Inject, Injectable, Logger } from '@nestjs/common';
import { within } from '../common/within.js';
import { CACHE_KEYS } from './cache-keys.js';
import { RedisStreams } from './streams/redis-streams.js';
import { streamIdAtLeast } from './streams/stream-ids.js';

/** Longer than a replica takes to apply a burst on a loaded machine; then it answers anyway. */
const CATCH_UP_MS = 3_000;
/** How long Redis may take to say how far the stream goes before the read is answered anyway. */
const ASK_MS = 500;

interface Waiter {
  id: string;
  resolve: () => void;
}

/**
 * How far a read replica has applied the primary's change events (`proxy:sse_events`), so a read
 * that follows an event waits until this instance has applied it. An SDK told of a change by one
 * instance fetches the flag through the load balancer, maybe from a replica that has not read
 * that event yet: without the wait it gets the old version and, as SDKs fetch once per event,
 * keeps it until the flag changes again. Instances that follow no one (primary, offline) pass.
 */
@Injectable()
export class FollowedChanges {
  private readonly logger = new Logger(FollowedChanges.name);
  private position?: string;
  private waiters: Waiter[] = [];
  /** One `lastId` read in flight and, at most, one queued for callers that came after it. */
  private reading?: Promise<string>;
  private queued?: Promise<string>;

  /** `null` without Redis: nothing to follow. */
  constructor(@Inject(RedisStreams) private readonly streams: RedisStreams | null) {}

  /** A replica starts following the stream after `from`. */
  follow(from: string): void {
    this.position = from;
  }

  /** The message `id` is applied (or skipped): reads waiting for it or an earlier one go on. */
  applied(id: string): void {
    if (this.position !== undefined && streamIdAtLeast(this.position, id)) {
      return;
    }
    this.position = id;
    const waiting = this.waiters;
    this.waiters = [];
    for (const waiter of waiting) {
      if (streamIdAtLeast(id, waiter.id)) {
        waiter.resolve();
      } else {
        this.waiters.push(waiter);
      }
    }
  }

  /** Whether this instance follows another's changes: else {@link caughtUp} has nothing to wait for. */
  get following(): boolean {
    return this.position !== undefined && this.streams !== undefined;
  }

  /**
   * Resolves once this instance has applied every change announced before the call (at most
   * 3 s; at once where it follows no one, or when Redis cannot tell: memory is then the best
   * answer there is).
   */
  async caughtUp(): Promise<void> {
    if (this.position === undefined || !this.streams) {
      return;
    }
    let newest: string;
    try {
      newest = await within(this.newestAfterNow(), ASK_MS);
    } catch {
      // Redis down or hung: memory is the best answer there is, at once.
      return;
    }
    if (streamIdAtLeast(this.position, newest)) {
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        this.logger.debug({ waitingFor: newest }, 'change not applied in time: answering anyway');
        resolve();
      }, CATCH_UP_MS);
      timer.unref();
      const waiter: Waiter = {
        id: newest,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      this.waiters.push(waiter);
    });
  }

  /**
   * The newest message id, from a read sent after this call: a read already in flight may
   * have been answered before the event the caller reacts to, so callers join the next one.
   */
  private newestAfterNow(): Promise<string> {
    if (!this.reading) {
      this.reading = this.read();
      return this.reading;
    }
    this.queued ??= this.reading.then(
      () => this.startQueued(),
      () => this.startQueued(),
    );
    return this.queued;
  }

  private startQueued(): Promise<string> {
    this.queued = undefined;
    this.reading = this.read();
    return this.reading;
  }

  private read(): Promise<string> {
    const streams = this.streams as RedisStreams;
    const reading = streams.lastId(CACHE_KEYS.sseEventsStream);
    const done = (): void => {
      if (this.reading === reading) {
        this.reading = undefined;
      }
    };
    reading.then(done, done);
    return reading;
  }
}
