import { Injectable, Logger } from '@nestjs/common';
import { CacheHealthService } from '../../cache/cache-health.service.js';
import { errorText } from '../../common/errors/error-text.js';
import { AppConfig } from '../../config/app-config.js';
import { FullReloadService } from './full-reload.service.js';
import { SyncQueue } from './sync-queue.service.js';

/**
 * Puts the primary's config back into a cache that lost it: written back from memory when the
 * cache came back empty, or reloaded from upstream when a write failed while it was away.
 */
@Injectable()
export class CacheRepairService {
  private readonly logger = new Logger(CacheRepairService.name);
  private repairing = false;
  private lastFailedRepair = 0;
  private stopped = false;
  private unsubscribe: (() => void)[] = [];

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
    ];
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe.forEach((stop) => stop());
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
        this.logger.warn({ err: errorText(err) }, 'could not re-seed the cache');
      } finally {
        this.repairing = false;
      }
    });
  }
}
