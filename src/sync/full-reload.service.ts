import { Injectable, Logger } from '@nestjs/common';
import { ConfigWriter } from '../cache/config-writer.service.js';
import { InventoryRepository } from '../cache/inventory.repository.js';
import { AppConfig } from '../config/app-config.js';
import type { SdkEvent } from '../stream/sdk-event.js';
import { UpstreamClient } from '../upstream/upstream.client.js';
import type { EnvironmentConfig } from './environment-config.js';
import { cleanupNotifications, describeKey, diffInventory, inventoryOf } from './inventory.js';

/** Environments written at once; each is one batch, so this bounds in-flight batches. */
const POPULATE_CONCURRENCY = 16;

/**
 * "FetchAndPopulate" (`upstream-api.md` §10): authenticate, fetch every environment, write them,
 * then delete what the previous config had and this one does not (smart cleanup), purge other
 * proxy keys' data and store the new inventory. Writing before deleting means readers never see
 * a hole; the returned notifications are for read replicas.
 */
@Injectable()
export class FullReloadService {
  private readonly logger = new Logger(FullReloadService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly upstream: UpstreamClient,
    private readonly writer: ConfigWriter,
    private readonly inventory: InventoryRepository,
  ) {}

  async run(): Promise<SdkEvent[]> {
    const started = Date.now();
    await this.upstream.authenticate();
    const environments = await this.upstream.fetchConfig();
    const proxyKey = this.config.upstream.proxyKey;
    const previous = await this.inventory.load(proxyKey);
    const next = inventoryOf(environments);
    const diff = diffInventory(previous, next);
    await this.populate(environments);
    await this.inventory.deleteAssets(diff.deleted);
    await this.inventory.purgeOthers(proxyKey);
    await this.inventory.save(proxyKey, next.keys());
    this.logger.log(
      {
        environments: environments.length,
        removedKeys: diff.deleted.length,
        ms: Date.now() - started,
      },
      'config synced from upstream',
    );
    return cleanupNotifications(diff, next, describeKey);
  }

  /** Fetches and writes the given environments only (an `environmentsAdded` event). */
  async addEnvironments(ids: readonly string[]): Promise<void> {
    await this.upstream.authenticate();
    for (const id of ids) {
      const environments = await this.upstream.fetchConfig(id);
      await this.populate(environments);
      await this.inventory.update(this.config.upstream.proxyKey, (keys) => {
        for (const key of inventoryOf(environments).keys()) {
          keys.add(key);
        }
      });
    }
  }

  private async populate(environments: readonly EnvironmentConfig[]): Promise<void> {
    for (let i = 0; i < environments.length; i += POPULATE_CONCURRENCY) {
      const slice = environments.slice(i, i + POPULATE_CONCURRENCY);
      await Promise.all(slice.map((env) => this.writer.writeEnvironment(env, 'online')));
    }
  }
}
