import { Injectable, Logger } from '@nestjs/common';
import { ProxyStatus } from '../../status/proxy-status.service.js';
import { ChangePublisher } from '../change-publisher.service.js';
import { FullReloadService } from './full-reload.service.js';
import { isProxyKeyRefusal, ProxyKeyHealth } from './proxy-key-health.service.js';

/**
 * The primary's one queue: reloads, stream events and cache repairs run one at a time, in the
 * order they were asked for, so cache and inventory writes never interleave. It also remembers
 * whether a change may be missing from the cache (a write failed) until a reload succeeds.
 */
@Injectable()
export class SyncQueue {
  private readonly logger = new Logger(SyncQueue.name);
  private queue: Promise<unknown> = Promise.resolve();
  private missing = false;
  private lastReload = 0;
  private readonly dirtyListeners = new Set<(cause: unknown) => void>();

  constructor(
    private readonly status: ProxyStatus,
    private readonly reloader: FullReloadService,
    private readonly publisher: ChangePublisher,
    private readonly keyHealth: ProxyKeyHealth,
  ) {}

  /** A change may be missing from the cache: the next reload that succeeds brings it. */
  get dirty(): boolean {
    return this.missing;
  }

  /** `cause`: what failed, for those who repair (an upstream failure is the poll loop's). */
  markDirty(cause: unknown): void {
    this.missing = true;
    for (const listener of this.dirtyListeners) {
      listener(cause);
    }
  }

  onDirty(listener: (cause: unknown) => void): () => void {
    this.dirtyListeners.add(listener);
    return () => this.dirtyListeners.delete(listener);
  }

  /** When the last reload started (ms), successful or not: polling counts from there. */
  get lastReloadAt(): number {
    return this.lastReload;
  }

  enqueue<T>(task: () => Promise<T>): Promise<T> {
    const next = this.queue.then(task);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** A full reload, queued behind whatever is already waiting. */
  reload(reason: string): Promise<boolean> {
    return this.enqueue(() => this.reloadNow(reason));
  }

  /**
   * A full reload, for a task already running in the queue. It announces what it changed:
   * SDKs whose stream was refused or cut meanwhile (and that stopped polling when it came
   * back), or that held their stream through a gap in the upstream one, would otherwise stay
   * stale.
   */
  async reloadNow(reason: string): Promise<boolean> {
    this.lastReload = Date.now();
    try {
      await this.reloader.run((changes) => this.publisher.publishAll(changes));
      this.missing = false;
      this.keyHealth.accepted();
      this.status.setConfig('SYNCED');
      return true;
    } catch (err) {
      this.logger.warn({ err, reason }, 'config sync failed');
      this.markDirty(err);
      if (isProxyKeyRefusal(err)) {
        this.keyHealth.refused(`POST /proxy/auth answered ${err.status}`);
      }
      // Config synced earlier stays SYNCED through an outage (the stream state tells that one).
      if (this.status.config.state !== 'SYNCED' && !this.keyHealth.revoked) {
        this.status.setConfig('FAILED_TO_SYNC');
      }
      return false;
    }
  }
}
