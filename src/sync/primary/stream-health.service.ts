import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { CACHE_KEYS } from '../../cache/cache-keys.js';
import { CacheHealthService } from '../../cache/cache-health.service.js';
import { CacheStore } from '../../cache/cache-store.js';
import { ScheduledJobs } from '../../scheduling/scheduled-jobs.service.js';
import { ProxyStatus } from '../../status/proxy-status.service.js';

const VERIFY_INTERVAL_MS = 60_000;

/**
 * Publishes the upstream stream state (docs/redis-layout.md) in the `ffproxy_saas_stream_health`
 * key read replicas start from. Memory is authoritative; a verifier rewrites the key every minute
 * if it drifted, and at once when the cache recovers or comes back empty.
 */
@Injectable()
export class StreamHealthService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(StreamHealthService.name);
  private unsubscribe: (() => void)[] = [];

  constructor(
    private readonly status: ProxyStatus,
    private readonly store: CacheStore,
    private readonly jobs: ScheduledJobs,
    private readonly cacheHealth: CacheHealthService,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = [
      this.status.onStreamChange(() => void this.write()),
      // Writes made while the cache was away were lost, and an emptied cache lost the key.
      this.cacheHealth.onRecovered(() => void this.verify()),
      this.cacheHealth.onEmptied(() => void this.verify()),
    ];
    void this.write();
    this.jobs.every('stream-health-verifier', VERIFY_INTERVAL_MS, () => this.verify());
  }

  onModuleDestroy(): void {
    this.unsubscribe.forEach((stop) => stop());
  }

  /** Rewrites the key when Redis disagrees with memory. */
  async verify(): Promise<void> {
    try {
      const stored = await this.store.get(CACHE_KEYS.streamHealth);
      const state = stored === null ? undefined : (JSON.parse(stored) as { state?: string }).state;
      if (state !== this.status.stream.state) {
        await this.write();
      }
    } catch (err) {
      this.logger.warn({ err }, 'could not verify the stream health key');
    }
  }

  private async write(): Promise<void> {
    const { state, since } = this.status.stream;
    try {
      await this.store.set([[CACHE_KEYS.streamHealth, JSON.stringify({ state, since })]]);
    } catch (err) {
      // The verifier repairs it once the cache answers again.
      this.logger.warn({ err, state }, 'could not write the stream health key');
    }
  }
}
