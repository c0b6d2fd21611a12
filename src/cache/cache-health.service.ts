import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter, Gauge } from 'prom-client';
import { METRIC_NAMES } from '../metrics/metric-names.js';
import { ScheduledJobs } from '../scheduling/scheduled-jobs.service.js';
import { CACHE_KEYS } from './cache-keys.js';
import { CacheStore } from './cache-store.js';
import { RedisClient } from './redis/redis.client.js';

/** Harness pings once a minute; a relay that serves from memory should know within seconds. */
const CHECK_INTERVAL_MS = 2_000;

export type CacheStatus = 'healthy' | 'unhealthy';

/**
 * Whether the cache answers, as `/health` and `ff_proxy_cache_healthy` report it: marked
 * unhealthy the moment the Redis connection drops, and checked every 2 s (a hung Redis keeps its
 * connection but stops answering). It also notices a cache that came back empty: the sync that
 * filled it writes a marker with its data, and while the marker is missing every check tells the
 * listeners, which re-seed it.
 */
@Injectable()
export class CacheHealthService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(CacheHealthService.name);
  private current: CacheStatus = 'healthy';
  private expectMarker = false;
  /** The marker was found missing and no re-seed has completed since. */
  private emptied = false;
  private running?: Promise<CacheStatus>;
  private readonly emptiedListeners = new Set<() => void>();
  private readonly recoveredListeners = new Set<() => void>();
  private readonly failedListeners = new Set<() => void>();
  private readonly refilledListeners = new Set<() => void>();
  /** The seed marker as last read or written: another value means another complete load. */
  private marker?: string;
  private unsubscribe?: () => void;

  constructor(
    private readonly store: CacheStore,
    private readonly jobs: ScheduledJobs,
    @Inject(RedisClient) private readonly redis: RedisClient | null,
    @InjectMetric(METRIC_NAMES.cacheHealthy) private readonly healthy: Gauge<'cache'>,
    @InjectMetric(METRIC_NAMES.cacheReseeds) private readonly reseeds: Counter<'cache'>,
  ) {}

  get status(): CacheStatus {
    return this.current;
  }

  async onApplicationBootstrap(): Promise<void> {
    this.healthy.labels(this.store.kind).set(1);
    await this.check();
    this.unsubscribe = this.redis?.onLinkChange((link) => {
      if (link === 'down') {
        this.set('unhealthy');
      } else {
        void this.check();
      }
    });
    this.jobs.every('cache-health', CHECK_INTERVAL_MS, () => this.check(), { maxJitterMs: 500 });
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  /** Calls `listener` whenever the cache answers but has lost the data this process wrote. */
  onEmptied(listener: () => void): () => void {
    this.emptiedListeners.add(listener);
    return () => this.emptiedListeners.delete(listener);
  }

  /**
   * Calls `listener` when the seed marker changed under this process: another instance wrote
   * a complete load (a primary that re-seeded a Redis that came back empty, or one that started
   * anew), which may hold changes no event announced.
   */
  onRefilled(listener: () => void): () => void {
    this.refilledListeners.add(listener);
    return () => this.refilledListeners.delete(listener);
  }

  /** Calls `listener` each time the cache stops answering. */
  onFailed(listener: () => void): () => void {
    this.failedListeners.add(listener);
    return () => this.failedListeners.delete(listener);
  }

  /** Calls `listener` each time the cache answers again after it failed. */
  onRecovered(listener: () => void): () => void {
    this.recoveredListeners.add(listener);
    return () => this.recoveredListeners.delete(listener);
  }

  /** Writes the marker after a complete load; from now on its absence means "emptied". */
  async markSeeded(): Promise<void> {
    const value = JSON.stringify({ seededAt: new Date().toISOString() });
    await this.store.set([[CACHE_KEYS.seedMarker, value]]);
    this.marker = value;
    this.expectSeeded();
  }

  /** Whether the marker was seen in place, so that its absence means the cache lost its data. */
  get watchesMarker(): boolean {
    return this.expectMarker;
  }

  /** The marker is in place (this process wrote it, or saw another write it): watch for its loss. */
  expectSeeded(): void {
    this.expectMarker = true;
    this.emptied = false;
  }

  /** One check at a time; callers during a check share its result. */
  check(): Promise<CacheStatus> {
    this.running ??= this.probe().finally(() => (this.running = undefined));
    return this.running;
  }

  private async probe(): Promise<CacheStatus> {
    let markerPresent = true;
    try {
      await this.store.ping();
      if (this.expectMarker) {
        const marker = await this.store.get(CACHE_KEYS.seedMarker);
        markerPresent = marker !== null;
        this.noteMarker(marker);
      }
    } catch (err) {
      if (this.current === 'healthy') {
        this.logger.warn({ err }, 'cache check failed: serving from memory');
      }
      return this.set('unhealthy');
    }
    this.set('healthy');
    if (markerPresent) {
      if (this.emptied) {
        this.emptied = false;
        this.logger.log('the cache holds its data again');
      }
      return this.current;
    }
    if (!this.emptied) {
      this.emptied = true;
      // Whoever re-seeds (a primary, an offline relay) listens; a replica waits for its primary.
      const reseeding = this.emptiedListeners.size > 0;
      this.logger.warn(
        { reseeding },
        'the cache answers but lost its data (restarted empty?): serving from memory',
      );
      if (reseeding) {
        this.reseeds.labels(this.store.kind).inc();
      }
    }
    // Every check until a re-seed completes, so one that failed is tried again.
    this.emptiedListeners.forEach((listener) => listener());
    return this.current;
  }

  private noteMarker(marker: string | null): void {
    if (marker === null || marker === this.marker) {
      return;
    }
    // Another value than the one seen, or one back after the cache was found without any.
    const refilled = this.marker !== undefined || this.emptied;
    this.marker = marker;
    if (refilled) {
      this.logger.log('the cache was filled anew by another instance');
      this.refilledListeners.forEach((listener) => listener());
    }
  }

  private set(next: CacheStatus): CacheStatus {
    if (next !== this.current) {
      // Unhealthy is degraded but self-healing (SDKs are served from memory): a warning.
      if (next === 'healthy') {
        this.logger.log({ cacheStatus: next }, 'cache status changed');
      } else {
        this.logger.warn({ cacheStatus: next }, 'cache status changed');
      }
      this.healthy.labels(this.store.kind).set(next === 'healthy' ? 1 : 0);
    }
    const previous = this.current;
    this.current = next;
    if (previous === 'unhealthy' && next === 'healthy') {
      this.recoveredListeners.forEach((listener) => listener());
    } else if (previous === 'healthy' && next === 'unhealthy') {
      this.failedListeners.forEach((listener) => listener());
    }
    return next;
  }
}
