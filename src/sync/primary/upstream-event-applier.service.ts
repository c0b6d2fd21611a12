import { Injectable, Logger } from '@nestjs/common';
import { ConfigReader } from '../../cache/config-reader.service.js';
import { InventoryRepository } from '../../cache/inventory.repository.js';
import { AppConfig } from '../../config/app-config.js';
import { ChangePublisher } from '../change-publisher.service.js';
import { ConfigLists } from './config-lists.service.js';
import { FullReloadService } from './full-reload.service.js';
import { ProxyKeyHealth } from './proxy-key-health.service.js';
import type { UpstreamEvent } from '../upstream-event.js';
import { ProxyKey } from '../../upstream/proxy-key.js';

const KEY_HASH = /^[0-9a-f]{64}$/;

/**
 * Applies one upstream event to the cache and then announces it (docs/upstream.md). A failed
 * write of what SDKs read throws before the announcement, and the reload that repairs it
 * announces the change (it differs from what memory holds). Once SDKs can read the change it
 * is announced, and only then is the inventory updated: the repairing reload would find
 * nothing to announce for a change memory already holds.
 */
@Injectable()
export class UpstreamEventApplier {
  private readonly logger = new Logger(UpstreamEventApplier.name);

  constructor(
    private readonly proxyKey: ProxyKey,
    private readonly config: AppConfig,
    private readonly reader: ConfigReader,
    private readonly inventory: InventoryRepository,
    private readonly lists: ConfigLists,
    private readonly reload: FullReloadService,
    private readonly publisher: ChangePublisher,
    private readonly keyHealth: ProxyKeyHealth,
  ) {}

  async apply(event: UpstreamEvent): Promise<void> {
    if (event.domain === 'flag' || event.domain === 'target-segment') {
      await this.applyConfigEvent(event);
      return;
    }
    switch (event.event) {
      case 'environmentsAdded':
        return this.reload.addEnvironments(event.environments);
      case 'environmentsRemoved':
        return this.removeEnvironments(event);
      case 'apiKeyAdded':
        return this.addApiKey(event);
      case 'apiKeyRemoved':
        return this.removeApiKey(event);
      case 'proxyKeyDeleted':
        // Nothing is deleted: SDKs keep being served what is cached (as by the Go proxy).
        this.keyHealth.refused('proxyKeyDeleted event');
        return;
      default:
        this.logger.error({ event: event.event, domain: event.domain }, 'unknown upstream event');
    }
  }

  private async applyConfigEvent(event: UpstreamEvent): Promise<void> {
    if (!event.environment || !['create', 'patch', 'delete'].includes(event.event)) {
      this.logger.error({ event: event.event, domain: event.domain }, 'unusable upstream event');
      return;
    }
    const kind = event.domain === 'flag' ? 'flags' : 'segments';
    const updateInventory = await (event.event === 'delete'
      ? this.lists.deleteItem(kind, event.environment, event.identifier)
      : this.lists.refresh(kind, event.environment));
    this.publisher.publish(event);
    await updateInventory();
  }

  private async removeEnvironments(event: UpstreamEvent): Promise<void> {
    const removed: string[] = [];
    for (const env of event.environments) {
      const keys = [
        ...(await this.reader.apiKeyNames(env)),
        ...(await this.reader.environmentKeys(env)),
      ];
      await this.inventory.deleteAssets(keys);
      removed.push(...keys);
    }
    this.publisher.closeEnvironments(event.environments);
    this.publisher.publish(event);
    await this.inventory.update(this.proxyKey.value, (set) =>
      removed.forEach((key) => set.delete(key)),
    );
  }

  private async addApiKey(event: UpstreamEvent): Promise<void> {
    const env = this.keyEventEnvironment(event);
    if (env) {
      const updateInventory = await this.lists.addApiKey(env, event.apiKey);
      // No SDK stream to tell; read replicas drop what they remember of the key.
      this.publisher.publish(event);
      await updateInventory();
    }
  }

  private async removeApiKey(event: UpstreamEvent): Promise<void> {
    const env = this.keyEventEnvironment(event);
    if (env) {
      const updateInventory = await this.lists.removeApiKey(env, event.apiKey);
      this.publisher.closeEnvironments(event.environments);
      this.publisher.publish(event);
      await updateInventory();
    }
  }

  /** The Go proxy panics on an empty list or stores a malformed hash; validate and ignore. */
  private keyEventEnvironment(event: UpstreamEvent): string | undefined {
    const env = event.environments[0];
    if (!env || !KEY_HASH.test(event.apiKey)) {
      this.logger.error({ event: event.event }, 'api key event without environment or key hash');
      return undefined;
    }
    return env;
  }
}
