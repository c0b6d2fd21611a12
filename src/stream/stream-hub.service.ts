import {
  type BeforeApplicationShutdown,
  Injectable,
  Logger,
  type OnModuleInit,
} from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';
import { SigningKeys } from '../auth/signing-keys.service.js';
import { AppConfig } from '../config/app-config.js';
import { METRIC_NAMES } from '../metrics/metric-names.js';
import { RecentEvents } from './recent-events.js';
import { eventFrame, HEARTBEAT_BYTES, type SdkEvent } from './sdk-event.js';
import { streamDeadline } from './stream-age.js';
import type { SseConnection } from './sse-connection.js';
import type { AttachOptions, StreamKind, Subscriber } from './stream-subscriber.js';

/** A client that stops reading is cut off rather than buffered without bound; it reconnects. */
const MAX_PENDING_BYTES = 1024 * 1024;
const SWEEP_INTERVAL_MS = 1_000;
/**
 * How long a stream that connects is still sent an event. SDKs do not re-fetch when their stream
 * comes back (the Node SDK even stops polling), so one that reconnects after an announcement (its
 * instance died, the upstream was away, a resync ran) would otherwise stay stale until the next
 * change. At worst an SDK fetches a flag it already had once more.
 */
export const REPLAY_WINDOW_MS = 2 * 60_000;
/** Per environment: a full resync's changes, far more than a live stream ever sends in 2 min. */
const MAX_REPLAYED_PER_ENVIRONMENT = 1_000;

/**
 * Holds every SDK `/stream` connection of this instance, grouped by environment, and fans change
 * events out to them. Each frame is serialised once per event, however many SDKs listen.
 */
@Injectable()
export class StreamHub implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger(StreamHub.name);
  private readonly byEnvironment = new Map<string, Set<Subscriber>>();
  private readonly recent = new RecentEvents(REPLAY_WINDOW_MS, MAX_REPLAYED_PER_ENVIRONMENT);
  private readonly publishListeners = new Set<(event: SdkEvent) => void>();
  private readonly heartbeatMs: number;
  private readonly maxAgeMs: number;
  private sweeper?: NodeJS.Timeout;

  constructor(
    config: AppConfig,
    private readonly keys: SigningKeys,
    @InjectMetric(METRIC_NAMES.sdkStreamsEnded) private readonly ended: Counter<'reason'>,
  ) {
    this.heartbeatMs = config.sdkStreams.heartbeatSeconds * 1000;
    this.maxAgeMs = config.sdkStreams.maxAgeMs;
    ended.inc({ reason: 'max_age' }, 0);
    ended.inc({ reason: 'secret_retired' }, 0);
  }

  onModuleInit(): void {
    this.keys.onRetired((secrets) => secrets.forEach((secret) => this.closeSecret(secret)));
    this.sweeper = setInterval(() => this.sweep(), SWEEP_INTERVAL_MS);
    this.sweeper.unref();
  }

  get connectionCount(): number {
    let count = 0;
    for (const subscribers of this.byEnvironment.values()) {
      count += subscribers.size;
    }
    return count;
  }

  /**
   * Registers a held stream: the events of the last minutes it may have missed, then the first
   * heartbeat, at once, as SDKs wait for bytes.
   */
  attach(env: string, connection: SseConnection, options: AttachOptions = {}): void {
    const now = Date.now();
    const endAt = streamDeadline(now, this.maxAgeMs);
    const { kind = 'sdk', first, ...credentials } = options;
    const subscriber: Subscriber = { kind, connection, lastWriteAt: 0, endAt, ...credentials };
    let subscribers = this.byEnvironment.get(env);
    if (!subscribers) {
      subscribers = new Set();
      this.byEnvironment.set(env, subscribers);
    }
    subscribers.add(subscriber);
    connection.onClose(() => this.detach(env, subscriber));
    // Replayed events (one write) before the heartbeat: the Node SDK drops a whole chunk that
    // starts with `:`, and back-to-back writes may reach it as one chunk.
    const missed = kind === 'sdk' ? this.recent.of(env, now) : first;
    if (missed) {
      this.send(subscriber, Buffer.from(missed), now);
    }
    this.send(subscriber, HEARTBEAT_BYTES, now);
    // `replayed`: the bytes of recent events it missed, sent before the heartbeat.
    this.logger.debug({ env, replayedBytes: missed?.length ?? 0 }, 'sdk stream opened');
  }

  /** Sends the event to the environment's streams and keeps it for streams that connect soon. */
  publish(event: SdkEvent): void {
    const frame = eventFrame(event);
    const now = Date.now();
    this.recent.add(event.environment, frame, now);
    this.broadcast(event.environment, 'sdk', frame, now);
    this.publishListeners.forEach((listener) => listener(event));
  }

  /**
   * An event the fleet announced before this instance started (read back from Redis), kept for
   * the streams that connect within the replay window: an SDK whose instance went away may
   * reconnect to this new one having missed it.
   */
  remember(event: SdkEvent, at: number): void {
    this.recent.add(event.environment, eventFrame(event), at);
  }

  /** Calls `listener` with every event published, once this instance's cache holds it. */
  onPublish(listener: (event: SdkEvent) => void): () => void {
    this.publishListeners.add(listener);
    return () => this.publishListeners.delete(listener);
  }

  /** Sends a frame, encoded once, to the environment's streams of one kind. */
  broadcast(env: string, kind: StreamKind, frame: string, now = Date.now()): void {
    const bytes = Buffer.from(frame);
    for (const subscriber of this.byEnvironment.get(env) ?? []) {
      if (subscriber.kind === kind) {
        this.send(subscriber, bytes, now);
      }
    }
  }

  /** Ends the streams opened with an SDK key that was removed: its SDKs get a 401 on return. */
  closeKey(keyHash: string): void {
    for (const subscribers of this.byEnvironment.values()) {
      for (const subscriber of Array.from(subscribers)) {
        if (subscriber.keyHash === keyHash) {
          subscriber.connection.close();
        }
      }
    }
  }

  /**
   * Ends the streams whose token a retired secret signed (a 0s rotation, or its grace ended):
   * that token now gets 401, and its stream must not keep the SDK believing it is served.
   */
  closeSecret(secret: string): void {
    for (const [env, subscribers] of Array.from(this.byEnvironment)) {
      for (const subscriber of Array.from(subscribers)) {
        if (subscriber.secret === secret) {
          this.detach(env, subscriber);
          subscriber.connection.close();
          this.ended.inc({ reason: 'secret_retired' });
        }
      }
    }
  }

  /** Ends every stream of an environment (key or environment removed): SDKs reconnect. */
  closeEnvironment(env: string): void {
    // Copied first: closing a connection removes it from the set.
    for (const subscriber of Array.from(this.byEnvironment.get(env) ?? [])) {
      subscriber.connection.close();
    }
  }

  /** Ends every stream (upstream stream lost, shutdown): SDKs fall back to polling. */
  closeAll(): void {
    for (const env of Array.from(this.byEnvironment.keys())) {
      this.closeEnvironment(env);
    }
  }

  /** Before the HTTP server closes, which would otherwise wait for these streams forever. */
  beforeApplicationShutdown(): void {
    clearInterval(this.sweeper);
    this.closeAll();
  }

  private send(subscriber: Subscriber, frame: Uint8Array, now: number): void {
    if (subscriber.connection.pendingBytes > MAX_PENDING_BYTES) {
      this.logger.warn('sdk stream is not reading: closing it');
      subscriber.connection.close();
      return;
    }
    subscriber.connection.write(frame);
    subscriber.lastWriteAt = now;
  }

  /** Ends the streams past their age and sends heartbeats to the idle ones. */
  private sweep(): void {
    // Never more than heartbeatMs of silence: a sweep may come up to one interval late.
    const now = Date.now();
    const due = now - this.heartbeatMs + SWEEP_INTERVAL_MS;
    for (const [env, subscribers] of this.byEnvironment) {
      for (const subscriber of subscribers) {
        if (subscriber.endAt <= now) {
          this.endByAge(env, subscriber);
        } else if (subscriber.lastWriteAt <= due) {
          this.send(subscriber, HEARTBEAT_BYTES, now);
        }
      }
    }
  }

  /**
   * A clean end, so the SDK reconnects (through the load balancer, maybe to a newer instance).
   * It loses no change: an event sent from now on is replayed to its next stream if that opens
   * within the replay window (SDKs retry after seconds: the Node SDK after 5–10 s).
   */
  private endByAge(env: string, subscriber: Subscriber): void {
    // Detached at once: the socket closes later, and the next sweep must not count it again.
    this.detach(env, subscriber);
    subscriber.connection.close();
    this.ended.inc({ reason: 'max_age' });
    this.logger.debug({ env }, 'sdk stream reached its max age: ended');
  }

  private detach(env: string, subscriber: Subscriber): void {
    const subscribers = this.byEnvironment.get(env);
    if (!subscribers?.delete(subscriber)) {
      return;
    }
    if (subscribers.size === 0) {
      this.byEnvironment.delete(env);
    }
    this.logger.debug({ env }, 'sdk stream closed');
  }
}
