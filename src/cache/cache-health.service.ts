import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ScheduledJobs } from '../metrics/scheduled-jobs.service.js';
import { CacheStore } from './cache-store.js';

const PING_INTERVAL_MS = 60_000;
const PING_TIMEOUT_MS = 5_000;

export type CacheStatus = 'healthy' | 'unhealthy';

/** Pings the cache at boot and every minute; `/health` reports the last result. */
@Injectable()
export class CacheHealthService implements OnApplicationBootstrap {
  private readonly logger = new Logger(CacheHealthService.name);
  private current: CacheStatus = 'healthy';

  constructor(
    private readonly store: CacheStore,
    private readonly jobs: ScheduledJobs,
  ) {}

  get status(): CacheStatus {
    return this.current;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.check();
    this.jobs.every('cache-health', PING_INTERVAL_MS, () => this.check());
  }

  async check(): Promise<CacheStatus> {
    const next = await pingWithTimeout(this.store).then(
      (): CacheStatus => 'healthy',
      (err: unknown): CacheStatus => {
        this.logger.warn({ err }, 'cache ping failed');
        return 'unhealthy';
      },
    );
    if (next !== this.current) {
      this.logger.log({ cacheStatus: next }, 'cache status changed');
    }
    this.current = next;
    return next;
  }
}

function pingWithTimeout(store: CacheStore): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('cache ping timed out')), PING_TIMEOUT_MS);
    store
      .ping()
      .then(resolve, reject)
      .finally(() => clearTimeout(timer));
  });
}
