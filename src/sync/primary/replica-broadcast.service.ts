import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { CACHE_KEYS } from '../../cache/cache-keys.js';
import { RedisStreams } from '../../cache/redis-streams.js';
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

/**
 * What a primary tells its read replicas over Redis (`cache-and-ha.md` §5.1, §5.2): every change
 * it announced, after the cache holds it, on `proxy:sse_events`; its upstream stream state on
 * `proxy:primary_to_replica_control_events`, at each change and every 20 s. Appends run one at
 * a time, so replicas see them in the order they happened.
 */
@Injectable()
export class ReplicaBroadcast extends ChangeRelay implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ReplicaBroadcast.name);
  private queue: Promise<void> = Promise.resolve();
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
      return this.queue;
    });
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  relay(event: SdkEvent): void {
    this.append(CACHE_KEYS.sseEventsStream, eventJson(event));
  }

  private sendState(state: StreamState): void {
    const message = { event: 'stream_action', domain: state, identifier: '', version: 0 };
    this.append(CACHE_KEYS.controlEventsStream, eventJson({ ...message, environment: '' }));
  }

  private append(stream: string, json: string): void {
    this.queue = this.queue.then(() =>
      this.streams.append(stream, json, STREAM_MAX_LEN).then(
        () => this.counters.published(stream),
        (err: unknown) => {
          this.counters.published(stream, 'err_publishing');
          // Lost for replicas: they catch up at the next change, or the next 20 s status.
          this.logger.warn({ err, stream }, 'could not tell read replicas');
        },
      ),
    );
  }
}
