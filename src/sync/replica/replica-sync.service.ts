import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { CACHE_KEYS } from '../../cache/cache-keys.js';
import { CacheStore } from '../../cache/cache-store.js';
import { ConfigReader } from '../../cache/config-reader.service.js';
import { FollowedChanges } from '../../cache/followed-changes.js';
import { RedisStreams, type StreamSubscription } from '../../cache/streams/redis-streams.js';
import { STREAM_PREFIXES } from '../../metrics/metric-names.js';
import type { StreamCounters } from '../../metrics/stream-counters.js';
import { ScheduledJobs } from '../../scheduling/scheduled-jobs.service.js';
import { ProxyStatus, type StreamState } from '../../status/proxy-status.service.js';
import { ChangePublisher } from '../change-publisher.service.js';
import { ConfigSource } from '../config-source.js';
import { parseUpstreamEvent, type UpstreamEvent } from '../upstream-event.js';
import { ReplicaReadiness } from './replica-readiness.service.js';

/** Three missed 20 s status broadcasts: the primary is gone (docs/redis-layout.md). */
const PRIMARY_SILENCE_MS = 60_000;
const CHECK_INTERVAL_MS = 5_000;

/**
 * Read-replica mode (docs/architecture.md): no upstream traffic at all. Config is read from
 * the Redis the primary fills, into memory; the primary's change events (`proxy:sse_events`)
 * refresh memory and then reach this instance's SDK streams; its status broadcasts decide
 * whether SDK streams are held. Both streams are read from where they stood at start and
 * resumed after the last message on reconnect.
 */
@Injectable()
export class ReplicaSyncService extends ConfigSource implements OnApplicationShutdown {
  private readonly logger = new Logger(ReplicaSyncService.name);
  private subscriptions: StreamSubscription[] = [];
  private lastWordFromPrimary = Date.now();

  constructor(
    private readonly status: ProxyStatus,
    private readonly streams: RedisStreams,
    private readonly store: CacheStore,
    private readonly reader: ConfigReader,
    private readonly publisher: ChangePublisher,
    private readonly jobs: ScheduledJobs,
    private readonly readiness: ReplicaReadiness,
    private readonly followed: FollowedChanges,
    @InjectMetric(STREAM_PREFIXES.replicaConsumer) private readonly counters: StreamCounters,
  ) {
    super();
  }

  /** Follows the primary at once; SDK routes answer 503 until it has filled Redis. */
  async start(): Promise<void> {
    const [changesFrom, controlFrom] = await Promise.all([
      this.streams.lastId(CACHE_KEYS.sseEventsStream),
      this.streams.lastId(CACHE_KEYS.controlEventsStream),
    ]);
    this.followed.follow(changesFrom);
    this.subscriptions = [
      this.streams.subscribe(
        CACHE_KEYS.sseEventsStream,
        changesFrom,
        (m) => this.onChange(m.json).finally(() => this.followed.applied(m.id)),
        this.counters,
      ),
      this.streams.subscribe(
        CACHE_KEYS.controlEventsStream,
        controlFrom,
        (m) => this.onControl(m.json),
        this.counters,
      ),
    ];
    await this.readiness.start();
    await this.readStoredState();
    this.jobs.every('replica-primary-watch', CHECK_INTERVAL_MS, () => this.watchPrimary(), {
      maxJitterMs: 1_000,
    });
    this.logger.log('following the primary through redis');
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.subscriptions.map((s) => s.close()));
  }

  /**
   * Until a broadcast says otherwise, the state the primary stored (`ffproxy_saas_stream_health`),
   * read every 5 s until it is CONNECTED or DISCONNECTED.
   */
  private async readStoredState(): Promise<void> {
    if (this.status.stream.state !== 'INITIALIZING') {
      return;
    }
    try {
      const raw = await this.store.get(CACHE_KEYS.streamHealth);
      const state = raw === null ? undefined : (JSON.parse(raw) as { state?: string }).state;
      if (state === 'CONNECTED' || state === 'DISCONNECTED') {
        this.follow(state);
        return;
      }
    } catch (err) {
      this.logger.warn({ err }, 'could not read the stream state the primary stored');
    }
    setTimeout(() => void this.readStoredState(), CHECK_INTERVAL_MS).unref();
  }

  private onControl(json: string): void {
    this.readiness.nudge();
    const message = parsed(json);
    if (message.event !== 'stream_action') {
      return;
    }
    this.lastWordFromPrimary = Date.now();
    if (message.domain === 'CONNECTED' || message.domain === 'DISCONNECTED') {
      this.follow(message.domain);
    }
  }

  private watchPrimary(): Promise<void> {
    const silentMs = Date.now() - this.lastWordFromPrimary;
    if (silentMs > PRIMARY_SILENCE_MS && this.status.stream.state === 'CONNECTED') {
      this.logger.warn({ silentMs }, 'no word from the primary: SDKs fall back to polling');
      this.follow('DISCONNECTED');
    }
    return Promise.resolve();
  }

  /** SDK streams are held only while the primary holds its upstream stream. */
  private follow(state: StreamState): void {
    if (state === this.status.stream.state) {
      return;
    }
    this.status.setStream(state);
    if (state === 'DISCONNECTED') {
      this.publisher.closeAll();
    }
    this.logger.log({ state }, 'primary stream state');
  }

  private async onChange(json: string): Promise<void> {
    this.readiness.nudge();
    const event = parsed(json);
    await this.refresh(event);
    if (event.domain === 'flag' || event.domain === 'target-segment') {
      this.publisher.publish(event);
    } else if (event.event === 'apiKeyRemoved' || event.event === 'environmentsRemoved') {
      this.publisher.closeEnvironments(event.environments);
    }
  }

  /** Brings memory up to what the primary already wrote, before SDKs hear of it. */
  private async refresh(event: UpstreamEvent): Promise<void> {
    switch (event.domain === 'proxy' ? event.event : event.domain) {
      case 'flag':
        return this.reader.reload('flags', event.environment);
      case 'target-segment':
        return this.reader.reload('segments', event.environment);
      case 'apiKeyAdded':
        return this.reader.keyAdded(event.apiKey);
      case 'apiKeyRemoved':
        return this.reader.keyRemoved(event.apiKey);
      case 'environmentsRemoved':
        event.environments.forEach((env) => this.reader.forgetEnvironment(env));
        return;
      default:
        return;
    }
  }
}

/** A message from the primary; one that is not a JSON object is skipped as unparseable. */
function parsed(json: string): UpstreamEvent {
  const event = parseUpstreamEvent(json);
  if (!event) {
    throw new SyntaxError('not a JSON object');
  }
  return event;
}
