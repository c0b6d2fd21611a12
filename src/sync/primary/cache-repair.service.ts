import { Injectable, Logger } from '@nestjs/common';
import { CacheHealthService } from '../../cache/cache-health.service.js';
import { AppConfig } from '../../config/app-config.js';
import { UpstreamError } from '../../upstream/upstream-error.js';
import { FullReloadService } from './full-reload.service.js';
import { SyncQueue } from './sync-queue.service.js';

/** The first retry of a reload after a failed cache write; then twice as long each time. */
const RETRY_MIN_DELAY_MS = 1_000;

/**
 * Puts the primary's config back into a cache that lost it: written back from memory when the
 * cache came back empty, or reloaded from upstream when a write failed.
 */
@Injectable()
export class CacheRepairService {
  private readonly logger = new Logger(CacheRepairService.name);
  private repairing = false;
  private lastFailedRepair = 0;
  private stopped = false;
  private unsubscribe: (() => void)[] = [];
  private retryTimer?: NodeJS.Timeout;
  private retryDelayMs = 0;

  constructor(
    private readonly config: AppConfig,
    private readonly cacheHealth: CacheHealthService,
    private readonly reloader: FullReloadService,
    private readonly queue: SyncQueue,
  ) {}

  start(): void {
    this.unsubscribe = [
      this.cacheHealth.onEmptied(() => this.repairEmptiedCache()),
      this.cacheHealth.onRecovered(() => {
        if (this.queue.dirty) {
          void this.queue.reload('cache recovered');
        }
      }),
      this.queue.onDirty((cause) => this.retryAfterFailedWrite(cause)),
    ];
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.unsubscribe.forEach((stop) => stop());
  }

  /**
   * A write failed, so the cache (and replicas, and SDKs) may miss a change, and the cache may
   * never look unhealthy: a Redis Cluster failing a master over refuses only that master's keys
   * for a few seconds. So a reload is retried 1 s later, then twice as long each time up to the
   * poll interval, while the cache answers, until one succeeds. An upstream failure is left to
   * the poll loop.
   */
  private retryAfterFailedWrite(cause: unknown): void {
    if (this.retryTimer || this.stopped || cause instanceof UpstreamError) {
      return;
    }
    const ceiling = Math.max(this.config.sync.pollIntervalMs, RETRY_MIN_DELAY_MS);
    this.retryDelayMs = Math.min(Math.max(this.retryDelayMs * 2, RETRY_MIN_DELAY_MS), ceiling);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.queue.enqueue(async () => {
        if (!this.queue.dirty || this.stopped) {
          this.retryDelayMs = 0;
        } else if (this.cacheHealth.status !== 'healthy') {
          // Its recovery reloads at once; meanwhile look again later.
          this.retryAfterFailedWrite(undefined);
        } else if (await this.queue.reloadNow('retry after a failed cache write')) {
          this.retryDelayMs = 0;
        }
      });
    }, this.retryDelayMs);
    this.retryTimer.unref();
  }

  /**
   * Writes back from memory when memory holds it all, else reloads from upstream (tried again
   * at most once per poll interval while that fails).
   */
  private repairEmptiedCache(): void {
    const backingOff = Date.now() - this.lastFailedRepair < this.config.sync.pollIntervalMs;
    if (this.repairing || this.stopped || (backingOff && !this.reloader.memoryComplete)) {
      return;
    }
    this.repairing = true;
    void this.queue.enqueue(async () => {
      try {
        if (this.reloader.memoryComplete) {
          await this.reloader.reseedFromMemory();
          if (this.queue.dirty) {
            await this.queue.reloadNow('cache re-seeded');
          }
        } else if (!(await this.queue.reloadNow('cache emptied'))) {
          this.lastFailedRepair = Date.now();
        }
      } catch (err) {
        this.logger.warn({ err }, 'could not re-seed the cache');
      } finally {
        this.repairing = false;
      }
    });
  }
}
