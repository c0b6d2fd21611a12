import { hostname } from 'node:os';
import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Gauge } from 'prom-client';
import { CACHE_KEYS } from '../cache/cache-keys.js';
import { CacheHealthService } from '../cache/cache-health.service.js';
import { CacheStore } from '../cache/cache-store.js';
import { AppConfig } from '../config/app-config.js';
import { METRIC_NAMES } from '../metrics/metric-names.js';
import { ScheduledJobs } from '../metrics/scheduled-jobs.service.js';
import { ProxyStatus, type StreamState } from '../status/proxy-status.service.js';

const VERIFY_INTERVAL_MS = 60_000;
const HOST = hostname() || 'unknown';

/**
 * Publishes the upstream stream state (`cache-and-ha.md` §6): the `ffproxy_saas_stream_health`
 * key read replicas start from, and two gauges. Memory is authoritative; a verifier rewrites the
 * key every minute if it drifted (for example after a Redis restart).
 */
@Injectable()
export class StreamHealthService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(StreamHealthService.name);
  private unsubscribe: (() => void)[] = [];

  constructor(
    private readonly config: AppConfig,
    private readonly status: ProxyStatus,
    private readonly store: CacheStore,
    private readonly jobs: ScheduledJobs,
    private readonly cacheHealth: CacheHealthService,
    @InjectMetric(METRIC_NAMES.streamHealth) private readonly health: Gauge<'host'>,
    @InjectMetric(METRIC_NAMES.pollingStatus) private readonly polling: Gauge<'host'>,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = [
      this.status.onStreamChange((state) => void this.publish(state)),
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

  private async publish(state: StreamState): Promise<void> {
    if (state !== 'INITIALIZING') {
      this.health.labels(HOST).set(state === 'CONNECTED' ? 1 : 0);
      this.polling.labels(HOST).set(state === 'DISCONNECTED' ? 1 : 0);
    }
    await this.write();
  }

  private async write(): Promise<void> {
    // Replicas learn the state from the primary; only the primary (or offline) writes it.
    if (this.config.mode === 'replica') {
      return;
    }
    const { state, since } = this.status.stream;
    try {
      await this.store.set([[CACHE_KEYS.streamHealth, JSON.stringify({ state, since })]]);
    } catch (err) {
      // The verifier repairs it once the cache answers again.
      this.logger.warn({ err, state }, 'could not write the stream health key');
    }
  }
}
