import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { InventoryRepository } from '../cache/inventory.repository.js';
import { AppConfig } from '../config/app-config.js';
import { ProxyStatus } from '../status/proxy-status.service.js';
import { UpstreamError } from '../upstream/upstream-error.js';
import { UpstreamClient } from '../upstream/upstream.client.js';
import { readAccountStream } from './account-stream.reader.js';
import { ChangePublisher } from './change-publisher.service.js';
import { FullReloadService } from './full-reload.service.js';
import { parseUpstreamEvent } from './upstream-event.js';
import { UpstreamEventApplier } from './upstream-event-applier.service.js';

/**
 * Primary mode (`upstream-api.md` §8, §10): one full reload at start, then the account stream,
 * and while it is down a reload plus a reconnect attempt every poll interval. Reloads and events
 * run one at a time, in arrival order, through one queue, so cache and inventory writes never
 * interleave.
 */
@Injectable()
export class PrimarySyncService implements OnApplicationShutdown {
  private readonly logger = new Logger(PrimarySyncService.name);
  private queue: Promise<unknown> = Promise.resolve();
  private stopped = false;
  private stream?: AbortController;
  private wake?: () => void;
  private running?: Promise<void>;

  constructor(
    private readonly config: AppConfig,
    private readonly status: ProxyStatus,
    private readonly upstream: UpstreamClient,
    private readonly reload: FullReloadService,
    private readonly applier: UpstreamEventApplier,
    private readonly publisher: ChangePublisher,
    private readonly inventory: InventoryRepository,
  ) {}

  /** Starts syncing in the background; SDK routes answer 503 until config is in place. */
  async start(): Promise<void> {
    if (await this.inventory.exists(this.config.upstream.proxyKey).catch(() => false)) {
      this.logger.log('serving the config already in the cache while the first sync runs');
      this.status.markCacheWarm();
    }
    this.running = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
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
        });
      }
    }
  }

  private onData(data: string, stream: AbortController): void {
    const event = parseUpstreamEvent(data);
    if (!event) {
      this.logger.warn('skipping an upstream stream message that is not a JSON object');
      return;
    }
    if (event.event === 'endOfStream') {
      // A graceful close from upstream: handle it like any other end of stream (§8.3 [DEV]).
      stream.abort();
      return;
    }
    void this.enqueue(() =>
      this.applier.apply(event).catch((err: unknown) => {
        this.logger.warn({ err: describe(err), event: event.event }, 'upstream event not applied');
      }),
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

  private async reloadSafely(reason: string): Promise<void> {
    try {
      await this.reload.run();
      this.status.setConfig('SYNCED');
    } catch (err) {
      this.logger.warn({ err: describe(err), reason }, 'config sync failed');
      if (this.status.config.state !== 'SYNCED') {
        this.status.setConfig('FAILED_TO_SYNC');
      }
    }
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
