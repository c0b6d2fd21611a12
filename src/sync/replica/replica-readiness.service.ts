import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { CacheHealthService } from '../../cache/cache-health.service.js';
import { CACHE_KEYS } from '../../cache/cache-keys.js';
import { CacheStore } from '../../cache/cache-store.js';
import { RedisClient } from '../../cache/redis/redis.client.js';
import { ProxyStatus } from '../../status/proxy-status.service.js';

/** How often the seed marker is looked for while no primary has filled Redis. */
const CHECK_INTERVAL_MS = 1_000;
/** The first wait is logged at once, then this often while it lasts. */
const WAIT_LOG_INTERVAL_MS = 30_000;

/**
 * A read replica serves SDKs only once a primary has filled its Redis, which the seed marker
 * (written last, after every complete load) tells. Before that every SDK route answers 503 and
 * `/health` too: an empty Redis (a fresh install whose primary has not synced yet, or a wrong
 * REDIS_DB) would otherwise make every SDK key a 401, which SDKs take as final. Once ready it
 * stays ready: a Redis emptied later is served from memory while the primary re-seeds it.
 */
@Injectable()
export class ReplicaReadiness implements OnApplicationShutdown {
  private readonly logger = new Logger(ReplicaReadiness.name);
  private readonly startedAt = Date.now();
  private lastWaitLog = 0;
  private timer?: NodeJS.Timeout;
  private checking?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly status: ProxyStatus,
    private readonly store: CacheStore,
    private readonly cacheHealth: CacheHealthService,
    @Inject(RedisClient) private readonly redis: RedisClient | null,
  ) {}

  get ready(): boolean {
    return this.status.config.state === 'READ_REPLICA';
  }

  /** Looks once now (a filled Redis is served at once), then every second until ready. */
  async start(): Promise<void> {
    this.status.waitFor('no primary has filled redis yet');
    await this.check();
    this.schedule();
  }

  /** Something came from the primary: it may just have filled Redis, so look now. */
  nudge(): void {
    if (!this.ready) {
      void this.check();
    }
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private schedule(): void {
    if (this.ready || this.stopped) {
      return;
    }
    this.timer = setTimeout(() => {
      void this.check().then(() => this.schedule());
    }, CHECK_INTERVAL_MS).unref();
  }

  /** One look at a time; a nudge during a look shares it. */
  private check(): Promise<void> {
    this.checking ??= this.look().finally(() => (this.checking = undefined));
    return this.checking;
  }

  private async look(): Promise<void> {
    if (this.ready || this.stopped) {
      return;
    }
    let seeded = false;
    let err: unknown;
    try {
      seeded = (await this.store.get(CACHE_KEYS.seedMarker)) !== null;
    } catch (caught) {
      err = caught;
    }
    if (seeded) {
      this.status.setConfig('READ_REPLICA');
      // From now on a missing marker means the cache lost its data (see CacheHealthService).
      this.cacheHealth.expectSeeded();
      this.logger.log(
        { waitedMs: Date.now() - this.startedAt },
        'a primary has filled redis: serving SDKs',
      );
      return;
    }
    this.logWaiting(err);
  }

  private logWaiting(err: unknown): void {
    const now = Date.now();
    if (now - this.lastWaitLog < WAIT_LOG_INTERVAL_MS) {
      return;
    }
    const first = this.lastWaitLog === 0;
    this.lastWaitLog = now;
    const fields = {
      redis: this.redis?.where,
      db: this.redis?.target.db,
      waitedMs: now - this.startedAt,
      ...(err === undefined ? {} : { err }),
    };
    const message =
      'waiting for a primary to fill redis (is one running on this REDIS_ADDRESS and REDIS_DB?): SDK routes answer 503';
    if (first) {
      this.logger.log(fields, message);
    } else {
      this.logger.warn(fields, message);
    }
  }
}
