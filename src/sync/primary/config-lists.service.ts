import { Injectable } from '@nestjs/common';
import { CACHE_KEYS, KEY_NAMES, type ListKind } from '../../cache/cache-keys.js';
import { ConfigReader } from '../../cache/config-reader.service.js';
import { ConfigWriter } from '../../cache/config-writer.service.js';
import { InventoryRepository } from '../../cache/inventory.repository.js';
import { AppConfig } from '../../config/app-config.js';
import type { FeatureConfig } from '../../model/feature-config.js';
import type { Segment } from '../../model/segment.js';
import { UpstreamClient } from '../../upstream/upstream.client.js';
import { ProxyKey } from '../../upstream/proxy-key.js';

/** One environment's list of one kind, in terms of item ids. */
interface ListAccess {
  key: string;
  /** Fetches the list from upstream and stores it; the ids stored. */
  refresh(): Promise<string[]>;
  /** Stores the list without `id` unless that empties it; the ids that remain. */
  without(id: string): Promise<string[]>;
}

function listAccess<T>(
  key: string,
  id: (item: T) => string,
  io: {
    read(): Promise<readonly T[]>;
    fetch(): Promise<T[]>;
    write(items: readonly T[]): Promise<void>;
  },
): ListAccess {
  return {
    key,
    refresh: async () => {
      const items = await io.fetch();
      await io.write(items);
      return items.map(id);
    },
    without: async (removed) => {
      const remaining = (await io.read()).filter((item) => id(item) !== removed);
      if (remaining.length > 0) {
        await io.write(remaining);
      }
      return remaining.map(id);
    },
  };
}

/**
 * Brings the proxy key's inventory (the cleanup list, which no SDK reads) in step with what was
 * just stored.
 */
export type InventoryUpdate = () => Promise<void>;

/**
 * The per-environment list updates behind flag, segment and SDK-key events. Each stores what
 * SDKs read, then hands back the inventory update to run once the change is announced: a
 * failed inventory write must not hide a change memory already holds (the repairing reload
 * compares with memory, so it would find nothing left to announce).
 */
@Injectable()
export class ConfigLists {
  constructor(
    private readonly proxyKey: ProxyKey,
    private readonly config: AppConfig,
    private readonly upstream: UpstreamClient,
    private readonly reader: ConfigReader,
    private readonly writer: ConfigWriter,
    private readonly inventory: InventoryRepository,
  ) {}

  /** Re-fetches the environment's whole list from upstream and stores it (as the Go proxy). */
  async refresh(kind: ListKind, env: string): Promise<InventoryUpdate> {
    const ids = await this.list(kind, env).refresh();
    return () => this.track(kind, env, ids);
  }

  /** Removes one item; the last one removes the list and its `-latest` too. */
  async deleteItem(kind: ListKind, env: string, identifier: string): Promise<InventoryUpdate> {
    const list = this.list(kind, env);
    const remaining = await list.without(identifier);
    if (remaining.length === 0) {
      await this.writer.deleteList(list.key);
      await this.writer.deleteKeys([this.itemKey(kind, env, identifier)]);
    }
    return () => this.track(kind, env, remaining);
  }

  async addApiKey(env: string, hash: string): Promise<InventoryUpdate> {
    const name = CACHE_KEYS.authKey(hash);
    const names = await this.reader.apiKeyNames(env);
    await this.writer.addApiKey(env, hash);
    await this.writer.setApiKeys(env, names.includes(name) ? names : [...names, name]);
    return () =>
      this.inventory.update(this.proxyKey.value, (keys) => {
        keys.add(name);
        keys.add(CACHE_KEYS.apiConfigs(env));
      });
  }

  async removeApiKey(env: string, hash: string): Promise<InventoryUpdate> {
    const name = CACHE_KEYS.authKey(hash);
    const names = (await this.reader.apiKeyNames(env)).filter((n) => n !== name);
    await this.writer.deleteKeys([name]);
    if (names.length > 0) {
      await this.writer.setApiKeys(env, names);
    } else {
      await this.writer.deleteKeys([CACHE_KEYS.apiConfigs(env)]);
    }
    return () =>
      this.inventory.update(this.proxyKey.value, (keys) => {
        keys.delete(name);
        if (names.length === 0) {
          keys.delete(CACHE_KEYS.apiConfigs(env));
        }
      });
  }

  /** Replaces the environment's entries of this kind in the inventory with `ids`. */
  private async track(kind: ListKind, env: string, ids: readonly string[]): Promise<void> {
    const listKey = kind === 'flags' ? CACHE_KEYS.featureConfigs(env) : CACHE_KEYS.segments(env);
    const prefix = KEY_NAMES.itemPrefix(kind, env);
    await this.inventory.update(this.proxyKey.value, (keys) => {
      [...keys]
        .filter((key) => key.startsWith(prefix) || key === listKey)
        .forEach((key) => keys.delete(key));
      if (ids.length > 0) {
        keys.add(listKey);
        ids.forEach((id) => keys.add(this.itemKey(kind, env, id)));
      }
    });
  }

  private list(kind: ListKind, env: string): ListAccess {
    if (kind === 'flags') {
      return listAccess(CACHE_KEYS.featureConfigs(env), (flag: FeatureConfig) => flag.feature, {
        read: async () => (await this.reader.flags(env)).flags,
        fetch: () => this.upstream.fetchFeatureConfigs(env),
        write: (flags) => this.writer.writeFlags(env, flags),
      });
    }
    return listAccess(CACHE_KEYS.segments(env), (segment: Segment) => segment.identifier, {
      read: async () => (await this.reader.segments(env)).segments,
      fetch: () => this.upstream.fetchSegments(env),
      write: (segments) => this.writer.writeSegments(env, segments),
    });
  }

  private itemKey(kind: ListKind, env: string, id: string): string {
    return kind === 'flags' ? CACHE_KEYS.featureConfig(env, id) : CACHE_KEYS.segment(env, id);
  }
}
