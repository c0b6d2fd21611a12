import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { SigningKeys } from '../auth/signing-keys.service.js';
import { ConfigReader } from '../cache/config-reader.service.js';
import { StreamUnavailableError, UnauthorisedError } from '../common/errors/proxy-error.js';
import { ProxyStatus } from '../status/proxy-status.service.js';
import type { SseConnection } from '../stream/sse-connection.js';
import { StreamHub } from '../stream/stream-hub.service.js';
import { StreamSlots } from '../stream/stream-slots.service.js';
import { configEtagOf } from './ofrep-environment.js';
import { OfrepStreamTokens } from './ofrep-stream-tokens.service.js';

/** The last change of an environment's content, as its event stream announces it. */
interface Announced {
  /** The content's etag: the same on every instance, so also the event's stable `id`. */
  etag: string;
  /** Unix seconds when this instance first saw that content. */
  lastModified: number;
  /** When this instance announced it as a change (ms); undefined for content it started with. */
  changedAt?: number;
}

/** EventSource reconnects this fast after a stream ends (max age, another instance). */
const RECONNECT_MS = 2_000;
/**
 * A new stream (no `Last-Event-ID`) is told of a change this recent: its client may have fetched
 * just before it, and then opened the stream just after the event (the web provider reconnects
 * when the stream URL changes). The refetch costs a 304 if it had it already.
 */
const FRESH_CHANGE_MS = 30_000;

/**
 * The OFREP change-notification streams (ADR-0008). They are held by the SDK stream hub (same
 * heartbeats, max age, key and secret endings, shutdown) and counted against the same limit;
 * each config change this instance publishes (from upstream, the primary, or CONFIG_DIR) becomes
 * one `refetchEvaluation` event. A client reconnecting with a `Last-Event-ID` that is not the
 * current content is sent the current one at once: refetching is idempotent, so the changes it
 * missed collapse into that one event, on whichever instance it reconnects to. A new stream is
 * sent the last change if it is only seconds old.
 */
@Injectable()
export class OfrepEvents implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(OfrepEvents.name);
  private readonly announced = new Map<string, Announced>();
  /** The etag last broadcast per environment. */
  private readonly sent = new Map<string, string>();
  private unsubscribe?: () => void;

  constructor(
    private readonly hub: StreamHub,
    private readonly slots: StreamSlots,
    private readonly reader: ConfigReader,
    private readonly status: ProxyStatus,
    private readonly tokens: OfrepStreamTokens,
    private readonly keys: SigningKeys,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = this.hub.onPublish((event) => {
      this.changed(event.environment).catch((err: unknown) => {
        this.logger.warn({ err, env: event.environment }, 'could not announce an ofrep change');
      });
    });
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  /** The URL path (with its own credential) a bulk answer announces for this key. */
  streamPath(environment: string, keyHash: string): string {
    return `/ofrep/v1/events?token=${this.tokens.issue({ environment, keyHash })}`;
  }

  /**
   * Checks the token and takes a stream slot before `open` commits to the answer, as SDK streams
   * do; while no change can reach this instance, streams are refused (503) so clients poll.
   */
  async hold(
    token: string | undefined,
    lastEventId: string | undefined,
    open: () => SseConnection,
  ): Promise<void> {
    if (!token) {
      throw new UnauthorisedError('the event-stream URL has no token');
    }
    const { environment, keyHash } = await this.tokens.verify(token);
    // The key may have been removed since the URL was handed out.
    if ((await this.reader.environmentOfKey(keyHash)) !== environment) {
      throw new UnauthorisedError('the SDK key of this event stream is no longer valid');
    }
    if (!this.status.streamsOpen) {
      throw new StreamUnavailableError();
    }
    const current = await this.current(environment);
    const connection = this.slots.open(open);
    const missed =
      lastEventId === undefined
        ? current.changedAt !== undefined && Date.now() - current.changedAt < FRESH_CHANGE_MS
        : lastEventId !== current.etag;
    this.hub.attach(environment, connection, {
      kind: 'ofrep',
      keyHash,
      secret: this.keys.secretOf(token),
      first: `retry: ${RECONNECT_MS}\n\n${missed ? frameOf(current) : ''}`,
    });
  }

  /** Announces the environment's content if it is not what was announced last. */
  private async changed(environment: string): Promise<void> {
    const before = this.announced.get(environment)?.etag;
    const now = await this.current(environment);
    // Checked and set after the read, in one step: concurrent publishes announce it once.
    if (now.etag === before || now.etag === this.sent.get(environment)) {
      return;
    }
    this.sent.set(environment, now.etag);
    now.changedAt = Date.now();
    this.hub.broadcast(environment, 'ofrep', frameOf(now));
  }

  private async current(environment: string): Promise<Announced> {
    const [flags, segments] = await Promise.all([
      this.reader.flags(environment),
      this.reader.segments(environment),
    ]);
    const etag = configEtagOf(flags, segments);
    const known = this.announced.get(environment);
    if (known?.etag === etag) {
      return known;
    }
    const announced = { etag, lastModified: Math.floor(Date.now() / 1000) };
    this.announced.set(environment, announced);
    return announced;
  }
}

function frameOf({ etag, lastModified }: Announced): string {
  const data = JSON.stringify({ type: 'refetchEvaluation', etag, lastModified });
  return `id: ${etag}\nevent: message\ndata: ${data}\n\n`;
}
