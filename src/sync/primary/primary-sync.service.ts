import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { CacheHealthService } from '../../cache/cache-health.service.js';
import { ProxyKeyVault } from '../../cache/proxy-key-vault.js';
import { fingerprint } from '../../common/fingerprint.js';
import { InventoryRepository } from '../../cache/inventory.repository.js';
import { AppConfig } from '../../config/app-config.js';
import { STREAM_PREFIXES } from '../../metrics/metric-names.js';
import type { StreamCounters } from '../../metrics/stream-counters.js';
import { ProxyStatus } from '../../status/proxy-status.service.js';
import { UpstreamError } from '../../upstream/upstream-error.js';
import { UpstreamClient } from '../../upstream/upstream.client.js';
import { readAccountStream } from './account-stream.reader.js';
import { ChangePublisher } from '../change-publisher.service.js';
import { ConfigSource } from '../config-source.js';
import { FullReloadService } from './full-reload.service.js';
import { isProxyKeyRefusal, ProxyKeyHealth } from './proxy-key-health.service.js';
import { parseUpstreamEvent } from '../upstream-event.js';
import { UpstreamEventApplier } from './upstream-event-applier.service.js';
import { ProxyKey } from '../../upstream/proxy-key.js';

/** The account stream's one topic, as Harness labels it (`stream=*`). */
const ACCOUNT_TOPIC = '*';

/**
 * Primary mode (`upstream-api.md` §8, §10): one full reload at start, then the account stream,
 * and while it is down a reload plus a reconnect attempt every poll interval. Reloads and events
 * run one at a time, in arrival order, through one queue, so cache and inventory writes never
 * interleave.
 */
@Injectable()
export class PrimarySyncService extends ConfigSource implements OnApplicationShutdown {
  private readonly logger = new Logger(PrimarySyncService.name);
  private queue: Promise<unknown> = Promise.resolve();
  private stopped = false;
  private stream?: AbortController;
  private wake?: () => void;
  private running?: Promise<void>;
  /** A change may be missing from the cache (a write failed): reload once it answers again. */
  private dirty = false;
  private reopening = false;
  private repairing = false;
  private lastFailedRepair = 0;
  private readonly unsubscribe: (() => void)[] = [];

  constructor(
    private readonly proxyKey: ProxyKey,
    private readonly config: AppConfig,
    private readonly status: ProxyStatus,
    private readonly upstream: UpstreamClient,
    private readonly reload: FullReloadService,
    private readonly applier: UpstreamEventApplier,
    private readonly publisher: ChangePublisher,
    private readonly inventory: InventoryRepository,
    private readonly cacheHealth: CacheHealthService,
    private readonly vault: ProxyKeyVault,
    private readonly keyHealth: ProxyKeyHealth,
    @InjectMetric(STREAM_PREFIXES.saasToPrimary) private readonly sse: StreamCounters,
  ) {
    super();
  }

  /** Starts syncing in the background; SDK routes answer 503 until config is in place. */
  async start(): Promise<void> {
    await this.useRotatedKey();
    this.unsubscribe.push(this.proxyKey.onChange(() => void this.enqueue(() => this.switchKey())));
    if (await this.inventory.exists(this.proxyKey.value).catch(() => false)) {
      this.logger.log('serving the config already in the cache while the first sync runs');
      this.status.markCacheWarm();
    }
    this.unsubscribe.push(
      this.cacheHealth.onEmptied(() => this.repairEmptiedCache()),
      this.cacheHealth.onRecovered(() => {
        if (this.dirty) {
          void this.enqueue(() => this.reloadSafely('cache recovered'));
        }
      }),
    );
    this.running = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.unsubscribe.forEach((stop) => stop());
    this.stopped = true;
    this.stream?.abort();
    this.wake?.();
    await this.running;
  }

  private async run(): Promise<void> {
    await this.enqueue(() => this.reloadSafely('startup'));
    while (!this.stopped) {
      await this.readStream();
      if (this.stopped) {
        return;
      }
      if (this.reopening) {
        // Closed on purpose to reopen with a new proxy key: not an outage.
        this.reopening = false;
        continue;
      }
      await this.enqueue(() => this.onStreamDown());
      await this.sleep(this.config.sync.pollIntervalMs);
      const polling =
        this.status.stream.state === 'DISCONNECTED' || this.status.config.state !== 'SYNCED';
      if (polling && !this.stopped) {
        await this.enqueue(() => this.reloadSafely('poll'));
      }
    }
  }

  private async readStream(): Promise<void> {
    const abort = new AbortController();
    this.stream = abort;
    this.sse.subscribed(ACCOUNT_TOPIC);
    try {
      const response = await this.upstream.openStream(abort.signal);
      await readAccountStream(response, abort, this.config.sync.streamTimeoutMs, {
        onLive: () => void this.enqueue(() => this.onConnected()),
        onData: (data) => this.onData(data, abort),
      });
      this.logger.warn('upstream stream ended');
    } catch (err) {
      if (!this.stopped) {
        this.logger.warn({ err: describe(err) }, 'upstream stream failed');
      }
      if (err instanceof UpstreamError && err.isAuthFailure) {
        await this.upstream.authenticate().catch((authErr: unknown) => {
          this.logger.warn({ err: describe(authErr) }, 'proxy re-authentication failed');
          this.noteRefusal(authErr);
        });
      }
    }
  }

  private onData(data: string, stream: AbortController): void {
    const event = parseUpstreamEvent(data);
    if (!event) {
      this.sse.received(ACCOUNT_TOPIC, 'err_parsing_message');
      this.logger.warn('skipping an upstream stream message that is not a JSON object');
      return;
    }
    if (event.event === 'endOfStream') {
      // A graceful close from upstream: handle it like any other end of stream (§8.3 [DEV]).
      this.sse.received(ACCOUNT_TOPIC, 'stream_disconnect');
      stream.abort();
      return;
    }
    void this.enqueue(() =>
      this.applier.apply(event).then(
        () => this.sse.received(ACCOUNT_TOPIC),
        (err: unknown) => {
          this.sse.received(ACCOUNT_TOPIC, 'unexpected_error');
          // Most likely the cache failed: the reload once it answers again brings the change.
          this.dirty = true;
          this.logger.warn(
            { err: describe(err), event: event.event },
            'upstream event not applied',
          );
        },
      ),
    );
  }

  private async onConnected(): Promise<void> {
    if (this.status.stream.state === 'DISCONNECTED') {
      // Changes made while we were away were never streamed: catch up before going live.
      await this.reloadSafely('reconnect');
    }
    this.status.setStream('CONNECTED');
    this.logger.log('upstream stream connected');
  }

  private async onStreamDown(): Promise<void> {
    if (this.status.stream.state === 'DISCONNECTED') {
      return;
    }
    this.status.setStream('DISCONNECTED');
    // SDKs fall back to polling this proxy, which keeps polling upstream meanwhile.
    this.publisher.closeAll();
    await this.reloadSafely('stream lost');
  }

  /** A key rotated earlier (and kept sealed in the cache) replaces the configured one. */
  private async useRotatedKey(): Promise<void> {
    const rotated = await this.vault.load().catch((err: unknown) => {
      this.logger.warn(
        { err: describe(err) },
        'could not read a rotated proxy key: using PROXY_KEY',
      );
      return undefined;
    });
    if (rotated !== undefined && rotated !== this.proxyKey.value) {
      this.proxyKey.use(rotated);
      this.logger.log({ fingerprint: fingerprint(rotated) }, 'using the rotated proxy key');
    }
  }

  /**
   * A new proxy key, live: a token for it, a reload under it (same config, so SDKs hear of
   * nothing), then the account stream reopened with it, with no disconnect in between.
   */
  private async switchKey(): Promise<void> {
    this.logger.log({ fingerprint: fingerprint(this.proxyKey.value) }, 'switching the proxy key');
    await this.reloadSafely('proxy key changed');
    this.reopening = this.stream !== undefined && !this.stream.signal.aborted;
    this.stream?.abort();
  }

  /**
   * Every reload announces what it changed: SDKs whose stream was refused or cut meanwhile
   * (and that stopped polling when it came back) would otherwise stay stale.
   */
  private async reloadSafely(reason: string): Promise<boolean> {
    try {
      const changes = await this.reload.run();
      this.dirty = false;
      this.keyHealth.accepted();
      this.status.setConfig('SYNCED');
      this.publisher.publishAll(changes);
      return true;
    } catch (err) {
      this.dirty = true;
      this.logger.warn({ err: describe(err), reason }, 'config sync failed');
      this.noteRefusal(err);
      // Config synced earlier stays SYNCED through an outage (the stream state tells that one).
      if (this.status.config.state !== 'SYNCED' && !this.keyHealth.revoked) {
        this.status.setConfig('FAILED_TO_SYNC');
      }
      return false;
    }
  }

  private noteRefusal(err: unknown): void {
    if (isProxyKeyRefusal(err)) {
      this.keyHealth.refused(`POST /proxy/auth answered ${err.status}`);
    }
  }

  /**
   * The cache came back without our data: write it back from memory when memory holds it all,
   * else reload from upstream (tried again at most once per poll interval while that fails).
   */
  private repairEmptiedCache(): void {
    const backingOff = Date.now() - this.lastFailedRepair < this.config.sync.pollIntervalMs;
    if (this.repairing || this.stopped || (backingOff && !this.reload.memoryComplete)) {
      return;
    }
    this.repairing = true;
    void this.enqueue(async () => {
      try {
        if (this.reload.memoryComplete) {
          await this.reload.reseedFromMemory();
          if (this.dirty) {
            await this.reloadSafely('cache re-seeded');
          }
        } else if (!(await this.reloadSafely('cache emptied'))) {
          this.lastFailedRepair = Date.now();
        }
      } catch (err) {
        this.logger.warn({ err: describe(err) }, 'could not re-seed the cache');
      } finally {
        this.repairing = false;
      }
    });
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const next = this.queue.then(task);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
