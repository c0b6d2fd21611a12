import { randomUUID } from 'node:crypto';
import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { CACHE_KEYS } from '../../cache/cache-keys.js';
import { RedisStreams } from '../../cache/streams/redis-streams.js';
import { STREAM_PREFIXES } from '../../metrics/metric-names.js';
import type { StreamCounters } from '../../metrics/stream-counters.js';
import { ScheduledJobs } from '../../scheduling/scheduled-jobs.service.js';
import { ProxyStatus, type StreamState } from '../../status/proxy-status.service.js';
import { eventJson, type SdkEvent } from '../../stream/sdk-event.js';
import { ChangeRelay } from '../config-source.js';

/** Harness trims both streams to 1000 messages. */
const STREAM_MAX_LEN = 1000;
/** The primary re-sends its stream state this often, so a replica that missed one catches up. */
const STATUS_INTERVAL_MS = 20_000;
/** A failed append is tried again after 500 ms, then twice as long each time up to 10 s. */
const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 10_000;

interface Pending {
  stream: string;
  json: string;
  /**
   * Sent with every try: an append that timed out may still have been written, and readers
   * skip the copy a retry then adds.
   */
  producerId: string;
  /** Called once appended, or once it is dropped or given up on. */
  settled?: () => void;
}

/** How long SDKs of the primary wait for a change to reach Redis before they hear of it anyway. */
const RELAY_WAIT_MS = 1_000;

/**
 * What a primary tells its read replicas over Redis (docs/redis-layout.md): every change
 * it announced, after the cache holds it, on `proxy:sse_events`; its upstream stream state on
 * `proxy:primary_to_replica_control_events`, at each change and every 20 s. Appends run one at
 * a time, so replicas see them in the order they happened. One Redis did not take waits, with
 * those after it, and is tried again: a change announced while a cluster fails the stream's
 * master over (or while Redis restarts) would otherwise never reach the replicas' SDKs. At most
 * as many wait as a stream holds; beyond that the oldest are dropped.
 */
@Injectable()
export class ReplicaBroadcast extends ChangeRelay implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ReplicaBroadcast.name);
  private readonly pending: Pending[] = [];
  private draining?: Promise<void>;
  private closed = false;
  private unsubscribe?: () => void;

  constructor(
    private readonly streams: RedisStreams,
    private readonly status: ProxyStatus,
    private readonly jobs: ScheduledJobs,
    @InjectMetric(STREAM_PREFIXES.primaryToReplica) private readonly counters: StreamCounters,
  ) {
    super();
  }

  onModuleInit(): void {
    this.unsubscribe = this.status.onStreamChange((state) => this.sendState(state));
    this.jobs.every('replica-status-broadcast', STATUS_INTERVAL_MS, () => {
      this.sendState(this.status.stream.state);
      return this.draining ?? Promise.resolve();
    });
  }

  onModuleDestroy(): void {
    this.closed = true;
    this.unsubscribe?.();
  }

  relay(event: SdkEvent): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, RELAY_WAIT_MS);
      timer.unref();
      this.append(CACHE_KEYS.sseEventsStream, eventJson(event), () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private sendState(state: StreamState): void {
    const message = { event: 'stream_action', domain: state, identifier: '', version: 0 };
    this.append(CACHE_KEYS.controlEventsStream, eventJson({ ...message, environment: '' }));
  }

  private append(stream: string, json: string, settled?: () => void): void {
    this.pending.push({ stream, json, producerId: randomUUID(), settled });
    if (this.pending.length > STREAM_MAX_LEN) {
      const dropped = this.pending.shift() as Pending;
      dropped.settled?.();
      this.logger.warn(
        { stream: dropped.stream },
        'read replicas will miss a message: too many wait',
      );
    }
    this.draining ??= this.drain().finally(() => (this.draining = undefined));
  }

  private async drain(): Promise<void> {
    let retryMs = RETRY_MIN_MS;
    let next: Pending | undefined;
    while ((next = this.pending[0])) {
      try {
        await this.streams.append(next.stream, next.json, STREAM_MAX_LEN, next.producerId);
        this.counters.published(next.stream);
        next.settled?.();
        // Unless an overflow dropped it meanwhile.
        if (this.pending[0] === next) {
          this.pending.shift();
        }
        retryMs = RETRY_MIN_MS;
      } catch (err) {
        this.counters.published(next.stream, 'err_publishing');
        if (this.closed) {
          // Shutting down: no retries left to wait for.
          this.logger.warn({ err, waiting: this.pending.length }, 'read replicas not told');
          return;
        }
        if (retryMs === RETRY_MIN_MS) {
          this.logger.warn(
            { err, stream: next.stream, waiting: this.pending.length },
            'could not tell read replicas yet: trying again',
          );
        }
        await new Promise((resolve) => setTimeout(resolve, retryMs).unref());
        retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
      }
    }
  }
}
