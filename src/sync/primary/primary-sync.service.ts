import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { InventoryRepository } from '../../cache/inventory.repository.js';
import { ProxyKeyVault } from '../../cache/sealed/proxy-key-vault.js';
import { StartupError } from '../../common/errors/startup-error.js';
import { fingerprint } from '../../common/fingerprint.js';
import { ProxyStatus } from '../../status/proxy-status.service.js';
import { ProxyKey } from '../../upstream/proxy-key.js';
import { ConfigSource } from '../config-source.js';
import { AccountStreamService } from './account-stream.service.js';
import { CacheRepairService } from './cache-repair.service.js';
import { SyncQueue } from './sync-queue.service.js';

/**
 * Primary mode: the proxy key in service (a rotated one kept in the cache wins), one full
 * reload at start, then the account stream held for good (reopened after every end, with
 * polling while it stays down) and the cache repaired whenever it loses our data.
 */
@Injectable()
export class PrimarySyncService extends ConfigSource implements OnApplicationShutdown {
  private readonly logger = new Logger(PrimarySyncService.name);
  private running?: Promise<void>;

  constructor(
    private readonly proxyKey: ProxyKey,
    private readonly status: ProxyStatus,
    private readonly inventory: InventoryRepository,
    private readonly vault: ProxyKeyVault,
    private readonly queue: SyncQueue,
    private readonly stream: AccountStreamService,
    private readonly repair: CacheRepairService,
  ) {
    super();
  }

  /** Starts syncing in the background; SDK routes answer 503 until config is in place. */
  async start(): Promise<void> {
    await this.useRotatedKey();
    this.stream.watchProxyKey();
    if (await this.inventory.exists(this.proxyKey.value).catch(() => false)) {
      this.logger.log('serving the config already in the cache while the first sync runs');
      this.status.markCacheWarm();
    }
    this.repair.start();
    this.running = this.queue.reload('startup').then(() => this.stream.run());
  }

  async onApplicationShutdown(): Promise<void> {
    this.repair.stop();
    this.stream.stop();
    await this.running;
  }

  /**
   * A key rotated earlier (and kept sealed in the cache) replaces the configured one; a sealed
   * key that must not be used, with PROXY_KEY not the one in service either, stops the boot.
   * Then the sealed copy is kept in step with the key in service.
   */
  private async useRotatedKey(): Promise<void> {
    const rotated = await this.vault.load().catch((err: unknown) => {
      if (err instanceof StartupError) {
        throw err;
      }
      this.logger.warn({ err }, 'could not read a rotated proxy key: using PROXY_KEY');
      return undefined;
    });
    if (rotated !== undefined) {
      this.use(rotated);
    }
    this.vault.watch((key) => this.use(key));
  }

  private use(key: string): void {
    if (key !== this.proxyKey.value) {
      this.proxyKey.use(key);
      this.logger.log({ fingerprint: fingerprint(key) }, 'using the rotated proxy key');
    }
  }
}
