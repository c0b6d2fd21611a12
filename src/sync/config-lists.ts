import { CACHE_KEYS } from '../cache/cache-keys.js';
import type { ConfigReader } from '../cache/config-reader.service.js';
import type { ConfigWriter } from '../cache/config-writer.service.js';
import type { InventoryRepository } from '../cache/inventory.repository.js';
import type { AppConfig } from '../config/app-config.js';
import type { UpstreamClient } from '../upstream/upstream.client.js';

export type ListKind = 'flags' | 'segments';

/**
 * The per-environment list updates behind flag, segment and SDK-key events, each keeping the
 * proxy key's inventory in step with what is stored.
 */
export class ConfigLists {
  constructor(
    private readonly config: AppConfig,
    private readonly upstream: UpstreamClient,
    private readonly reader: ConfigReader,
    private readonly writer: ConfigWriter,
    private readonly inventory: InventoryRepository,
  ) {}

  /** Re-fetches the environment's whole list from upstream and stores it (as the Go proxy). */
  async refresh(kind: ListKind, env: string): Promise<void> {
    if (kind === 'flags') {
      const flags = await this.upstream.fetchFeatureConfigs(env);
      await this.writer.writeFlags(env, flags);
      await this.track(
        kind,
        env,
        flags.map((f) => f.feature),
      );
    } else {
      const segments = await this.upstream.fetchSegments(env);
      await this.writer.writeSegments(env, segments);
      await this.track(
        kind,
        env,
        segments.map((s) => s.identifier),
      );
    }
  }

  /** Removes one item; the last one removes the list and its `-latest` too. */
  async deleteItem(kind: ListKind, env: string, identifier: string): Promise<void> {
    const remaining =
      kind === 'flags'
        ? (await this.reader.flags(env)).flags.filter((f) => f.feature !== identifier)
        : (await this.reader.segments(env)).segments.filter((s) => s.identifier !== identifier);
    const listKey = kind === 'flags' ? CACHE_KEYS.featureConfigs(env) : CACHE_KEYS.segments(env);
    if (remaining.length === 0) {
      await this.writer.deleteList(listKey);
      await this.writer.deleteKeys([this.itemKey(kind, env, identifier)]);
    } else if (kind === 'flags') {
      await this.writer.writeFlags(env, remaining as Parameters<ConfigWriter['writeFlags']>[1]);
    } else {
      await this.writer.writeSegments(
        env,
        remaining as Parameters<ConfigWriter['writeSegments']>[1],
      );
    }
    const ids = remaining.map((item) => ('feature' in item ? item.feature : item.identifier));
    await this.track(kind, env, ids);
  }

  async addApiKey(env: string, hash: string): Promise<void> {
    const name = CACHE_KEYS.authKey(hash);
    const names = await this.reader.apiKeyNames(env);
    await this.writer.addApiKey(env, hash);
    await this.writer.setApiKeys(env, names.includes(name) ? names : [...names, name]);
    await this.inventory.update(this.config.upstream.proxyKey, (keys) => {
      keys.add(name);
      keys.add(CACHE_KEYS.apiConfigs(env));
    });
  }

  async removeApiKey(env: string, hash: string): Promise<void> {
    const name = CACHE_KEYS.authKey(hash);
    const names = (await this.reader.apiKeyNames(env)).filter((n) => n !== name);
    await this.writer.deleteKeys([name]);
    if (names.length > 0) {
      await this.writer.setApiKeys(env, names);
    } else {
      await this.writer.deleteKeys([CACHE_KEYS.apiConfigs(env)]);
    }
    await this.inventory.update(this.config.upstream.proxyKey, (keys) => {
      keys.delete(name);
      if (names.length === 0) {
        keys.delete(CACHE_KEYS.apiConfigs(env));
      }
    });
  }

  /** Replaces the environment's entries of this kind in the inventory with `ids`. */
  private async track(kind: ListKind, env: string, ids: readonly string[]): Promise<void> {
    const listKey = kind === 'flags' ? CACHE_KEYS.featureConfigs(env) : CACHE_KEYS.segments(env);
    const prefix = kind === 'flags' ? `env-${env}-feature-config-` : `env-${env}-segment-`;
    await this.inventory.update(this.config.upstream.proxyKey, (keys) => {
      [...keys]
        .filter((key) => key.startsWith(prefix) || key === listKey)
        .forEach((key) => keys.delete(key));
      if (ids.length > 0) {
        keys.add(listKey);
        ids.forEach((id) => keys.add(this.itemKey(kind, env, id)));
      }
    });
  }

  private itemKey(kind: ListKind, env: string, id: string): string {
    return kind === 'flags' ? CACHE_KEYS.featureConfig(env, id) : CACHE_KEYS.segment(env, id);
  }
}
