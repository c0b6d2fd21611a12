import { Inject, Injectable, Logger } from '@nestjs/common';
import { CacheHealthService } from '../../cache/cache-health.service.js';
import { ConfigReader } from '../../cache/config-reader.service.js';
import { ConfigWriter } from '../../cache/config-writer.service.js';
import { MemoryMirror, type MemoryView } from '../../cache/memory-mirror.js';
import { KEY_NAMES } from '../../cache/cache-keys.js';
import { InventoryRepository } from '../../cache/inventory.repository.js';
import { AppConfig } from '../../config/app-config.js';
import type { SdkEvent } from '../../stream/sdk-event.js';
import { UpstreamClient } from '../../upstream/upstream.client.js';
import type { EnvironmentConfig } from '../../model/environment-config.js';
import { diffInventory, environmentsOf, type InventoryItem, inventoryOf } from './inventory.js';
import {
  environmentEvents,
  removedEnvironmentEvents,
  type ServedEnvironment,
} from '../resync-events.js';
import { ProxyKey } from '../../upstream/proxy-key.js';
import { MemoryFitService } from './memory-fit.service.js';

/** Environments written at once; each is one batch, so this bounds in-flight batches. */
const POPULATE_CONCURRENCY = 16;

/**
 * "FetchAndPopulate" (docs/upstream.md): authenticate, fetch every environment, write them,
 * then delete what the previous config had and this one does not (smart cleanup), purge other
 * proxy keys' data and store the new inventory. Writing before deleting means readers never see
 * a hole. The marker written last tells a cache that came back empty (see CacheHealthService).
 */
@Injectable()
export class FullReloadService {
  private readonly logger = new Logger(FullReloadService.name);
  private completed = false;

  constructor(
    private readonly proxyKey: ProxyKey,
    private readonly config: AppConfig,
    private readonly upstream: UpstreamClient,
    private readonly writer: ConfigWriter,
    private readonly inventory: InventoryRepository,
    private readonly reader: ConfigReader,
    @Inject(MemoryMirror) private readonly mirror: MemoryView,
    private readonly cacheHealth: CacheHealthService,
    private readonly memoryFit: MemoryFitService,
  ) {}

  /** Whether memory holds everything: a reload completed since this process started. */
  get memoryComplete(): boolean {
    return this.completed;
  }

  /**
   * Reloads everything, page by page: each page of `/proxy/config` is written and let go before
   * more are asked, so memory holds what the cache holds plus a few pages, never the whole
   * config decoded. `announce` gets the SDK events for what changed (by content), also when a
   * later page fails: what was written is served, so it must be announced.
   */
  async run(announce: (changes: SdkEvent[]) => void): Promise<void> {
    const started = Date.now();
    await this.upstream.authenticate();
    const proxyKey = this.proxyKey.value;
    const previous = await this.inventory.load(proxyKey);
    const before = await this.served(previous);
    const next = new Map<string, InventoryItem>();
    const events: SdkEvent[] = [];
    const seen = new Set<string>();
    try {
      await this.upstream.streamConfig(async (page) => {
        await this.populate(page);
        page.forEach((env) => seen.add(env.id));
        for (const [key, item] of inventoryOf(page)) {
          next.set(key, item);
        }
        events.push(...page.flatMap((env) => environmentEvents(before, env)));
      });
      const diff = diffInventory(previous, next);
      await this.inventory.deleteAssets(diff.deleted);
      await this.inventory.purgeOthers(proxyKey, new Set(next.keys()));
      await this.inventory.save(proxyKey, next.keys());
      await this.cacheHealth.markSeeded();
      if (!this.completed) {
        this.memoryFit.check();
      }
      this.completed = true;
      events.push(...removedEnvironmentEvents(before, seen));
      this.logger.log(
        {
          environments: seen.size,
          removedKeys: diff.deleted.length,
          changes: events.length,
          ms: Date.now() - started,
        },
        'config synced from upstream',
      );
    } finally {
      announce(events);
    }
  }

  /**
   * Writes back everything memory serves, with no upstream call: for a cache that came back
   * empty. Only once a reload completed, when memory holds all the config.
   */
  async reseedFromMemory(): Promise<void> {
    const started = Date.now();
    const environments = this.mirror.servedEnvironments().map((env): EnvironmentConfig => ({
      id: env.id,
      apiKeys: env.apiKeys,
      featureConfigs: [...env.flags.flags],
      segments: [...env.segments.segments],
      targets: [],
    }));
    await this.populate(environments);
    await this.inventory.save(this.proxyKey.value, inventoryOf(environments).keys());
    await this.cacheHealth.markSeeded();
    this.logger.log(
      { environments: environments.length, ms: Date.now() - started },
      'cache re-seeded from memory',
    );
  }

  /** Fetches and writes the given environments only (an `environmentsAdded` event). */
  async addEnvironments(ids: readonly string[]): Promise<void> {
    await this.upstream.authenticate();
    for (const id of ids) {
      const environments = await this.upstream.fetchConfig(id);
      await this.populate(environments);
      await this.inventory.update(this.proxyKey.value, (keys) => {
        for (const key of inventoryOf(environments).keys()) {
          keys.add(key);
        }
      });
    }
  }

  /**
   * What each environment served before this reload: those in memory as memory holds them (no
   * round trip), and those of the stored inventory memory has not seen yet (a cache warm from
   * before), read once. On a cold start there are none, so nothing is announced.
   */
  private async served(previous: Iterable<string>): Promise<Map<string, ServedEnvironment>> {
    const served = new Map<string, ServedEnvironment>(
      this.mirror
        .servedEnvironments()
        .map((env) => [
          env.id,
          { flags: env.flags.flags, segments: env.segments.segments, apiKeys: env.apiKeys },
        ]),
    );
    for (const id of environmentsOf(previous).filter((env) => !served.has(env))) {
      const [flags, segments, keys] = await Promise.all([
        this.reader.flags(id),
        this.reader.segments(id),
        this.reader.apiKeyNames(id),
      ]);
      const apiKeys = keys.map((name) => KEY_NAMES.authKeyHash(name) ?? name);
      served.set(id, { flags: flags.flags, segments: segments.segments, apiKeys });
    }
    return served;
  }

  private async populate(environments: readonly EnvironmentConfig[]): Promise<void> {
    for (let i = 0; i < environments.length; i += POPULATE_CONCURRENCY) {
      const slice = environments.slice(i, i + POPULATE_CONCURRENCY);
      await Promise.all(slice.map((env) => this.writer.writeEnvironment(env, 'online')));
    }
  }
}
