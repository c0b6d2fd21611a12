import { Injectable, Logger } from '@nestjs/common';
import { fingerprint } from '../../common/fingerprint.js';
import { AppConfig } from '../../config/app-config.js';
import { ProxyStatus } from '../../status/proxy-status.service.js';
import { ProxyKey } from '../../upstream/proxy-key.js';
import { UpstreamError } from '../../upstream/upstream-error.js';
import { UpstreamClient } from '../../upstream/upstream.client.js';
import { ChangePublisher } from '../change-publisher.service.js';
import { AccountStreamMessages } from './account-stream-messages.service.js';
import { readAccountStream } from './account-stream.reader.js';
import { ReconnectBackoff, STABLE_STREAM_MS } from './reconnect-backoff.js';
import { END_OF_STREAM, streamEndLine } from './stream-end.js';
import { SyncQueue } from './sync-queue.service.js';
import { WakeableTimer } from './wakeable-timer.js';

/** What a 401/403 from the stream led to: a fresh token, or the proxy key refused too. */
type Reauth = 'renewed' | 'key-refused' | 'failed';

/** How one attempt at the stream ended. */
interface Attempt {
  /** How long it delivered blocks (ms); undefined when it never did. */
  liveMs?: number;
  reauth?: Reauth;
  /** Why it failed; undefined when upstream ended it cleanly. */
  err?: unknown;
}

/**
 * Holds the primary's account stream (docs/upstream-stream.md). Every end (drop, silence,
 * `endOfStream`, a refused token, a new proxy key) is followed by an attempt at once, then by
 * {@link ReconnectBackoff} waits; each connection after the first resyncs, since events of the
 * gap were lost. The stream is DISCONNECTED (SDK streams closed, SDKs poll) only once the
 * immediate attempt failed, and only then does the config get polled every poll interval.
 */
@Injectable()
export class AccountStreamService {
  private readonly logger = new Logger(AccountStreamService.name);
  private readonly backoff: ReconnectBackoff;
  private stopped = false;
  /** A new proxy key arrived: reopen with a token for it, whatever the old stream was doing. */
  private switching = false;
  private tokenStale = false;
  private retriedAuth = false;
  /** Whether the next connection must resync: it follows a gap (or a key switch). */
  private resyncNext = false;
  private current?: AbortController;
  private readonly timer = new WakeableTimer();
  private unsubscribe?: () => void;

  constructor(
    private readonly config: AppConfig,
    private readonly proxyKey: ProxyKey,
    private readonly status: ProxyStatus,
    private readonly upstream: UpstreamClient,
    private readonly publisher: ChangePublisher,
    private readonly queue: SyncQueue,
    private readonly messages: AccountStreamMessages,
  ) {
    this.backoff = new ReconnectBackoff(config.sync.pollIntervalMs);
  }

  /** Listens for proxy-key changes from now on, so one made before {@link run} is not missed. */
  watchProxyKey(): void {
    this.unsubscribe = this.proxyKey.onChange(() => this.switchKey());
  }

  /** Holds the stream until {@link stop}. */
  async run(): Promise<void> {
    while (!this.stopped) {
      this.switching = false;
      const attempt = await this.attempt();
      if (!this.stopped && !this.switching) {
        await this.beforeNextAttempt(attempt);
      }
    }
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
    this.current?.abort();
    this.timer.wake();
  }

  /** Waits as the backoff says; the stream is down once the immediate retry failed. */
  private async beforeNextAttempt(attempt: Attempt): Promise<void> {
    if ((attempt.liveMs ?? 0) >= STABLE_STREAM_MS) {
      this.backoff.reset();
    }
    // One free retry: a token refused by the stream but renewed is not an outage.
    this.retriedAuth = attempt.reauth === 'renewed' && !this.retriedAuth;
    if (this.retriedAuth) {
      this.logDisconnect(attempt, 0);
      return;
    }
    const wait = this.backoff.next();
    this.logDisconnect(attempt, wait);
    const failed = attempt.liveMs === undefined && wait > 0;
    // A key refused right after a drop is most likely revoked by a rotation whose new key is
    // on its way (Harness cuts the stream before the rotation call answers): an outage only
    // if no new key came during the first wait.
    const keyRefused = attempt.reauth === 'key-refused';
    if (failed && !keyRefused) {
      await this.queue.enqueue(() => this.markDown(wait));
    }
    await this.pause(wait);
    if (failed && keyRefused) {
      await this.queue.enqueue(() => this.markDown(0));
    }
  }

  private async attempt(): Promise<Attempt> {
    const abort = new AbortController();
    this.current = abort;
    this.messages.subscribed();
    let liveAt: number | undefined;
    const liveMs = (): number | undefined =>
      liveAt === undefined ? undefined : Date.now() - liveAt;
    try {
      if (this.tokenStale) {
        this.tokenStale = false;
        await this.upstream.authenticate();
      }
      const response = await this.upstream.openStream(abort.signal);
      await readAccountStream(response, abort, this.config.sync.streamTimeoutMs, {
        onLive: () => {
          liveAt = Date.now();
          const resync = this.resyncNext;
          this.resyncNext = true;
          void this.queue.enqueue(() => this.onConnected(resync));
        },
        onData: (data) => this.messages.receive(data, () => abort.abort(END_OF_STREAM)),
      });
    } catch (err) {
      if (err instanceof UpstreamError && err.isAuthFailure && !this.stopped) {
        return { liveMs: liveMs(), err, reauth: await this.reauthenticate() };
      }
      return { liveMs: liveMs(), err };
    }
    return { liveMs: liveMs() };
  }

  /** One line per disconnection, with why and when the next attempt is (stream-end.ts). */
  private logDisconnect(attempt: Attempt, retryInMs: number): void {
    const line = streamEndLine(attempt.err, attempt.liveMs, retryInMs, this.proxyKey.changing);
    if (line?.level === 'info') {
      this.logger.log(line.fields, 'upstream stream disconnected');
    } else if (line) {
      this.logger.warn(line.fields, 'upstream stream disconnected');
    }
  }

  private async reauthenticate(): Promise<Reauth> {
    try {
      await this.upstream.authenticate();
      return 'renewed';
    } catch (err) {
      this.logger.warn({ err }, 'proxy re-authentication failed');
      return err instanceof UpstreamError && err.isAuthFailure ? 'key-refused' : 'failed';
    }
  }

  private async onConnected(resync: boolean): Promise<void> {
    const down = this.status.stream.state === 'DISCONNECTED';
    // Changes made while no stream was open were never streamed: catch up before going live.
    if (resync || down || this.status.config.state !== 'SYNCED') {
      await this.queue.reloadNow('reconnect');
    }
    this.status.setStream('CONNECTED');
    this.logger.log({ state: 'CONNECTED', resynced: resync || down }, 'upstream stream connected');
  }

  /** The stream could not be reopened at once: the upstream is unreachable for now. */
  private async markDown(retryInMs: number): Promise<void> {
    // A key switch under way reopens the stream at once: not an outage.
    if (this.switching || this.stopped || this.status.stream.state === 'DISCONNECTED') {
      return;
    }
    this.status.setStream('DISCONNECTED');
    this.logger.warn(
      { state: 'DISCONNECTED', retryInMs, pollIntervalMs: this.config.sync.pollIntervalMs },
      'upstream stream unreachable: SDK streams closed, polling until it is back',
    );
    // SDKs fall back to polling this proxy, which polls upstream meanwhile.
    this.publisher.closeAll();
    await this.queue.reloadNow('stream lost');
  }

  /** Waits `waitMs` before the next attempt, polling the config while the stream is down. */
  private async pause(waitMs: number): Promise<void> {
    const retryAt = Date.now() + waitMs;
    while (!this.stopped && !this.switching) {
      const now = Date.now();
      const polling =
        this.status.stream.state === 'DISCONNECTED' || this.status.config.state !== 'SYNCED';
      const pollAt = polling ? this.queue.lastReloadAt + this.config.sync.pollIntervalMs : Infinity;
      if (now >= pollAt) {
        await this.queue.reload('poll');
      } else if (now >= retryAt) {
        return;
      } else {
        await this.timer.sleep(Math.min(retryAt, pollAt) - now);
      }
    }
  }

  /** A new key: reopen at once with a token for it, and resync under it once connected. */
  private switchKey(): void {
    this.logger.log(
      { fingerprint: fingerprint(this.proxyKey.value) },
      'switching the proxy key: reopening the upstream stream',
    );
    this.switching = true;
    this.tokenStale = true;
    this.resyncNext = true;
    this.retriedAuth = false;
    this.backoff.reset();
    this.current?.abort();
    this.timer.wake();
  }
}
