import { Injectable, Logger } from '@nestjs/common';
import { CACHE_KEYS, INVENTORY_SUFFIX, KEY_NAMES, loggableKey } from './cache-keys.js';
import { CacheStore } from './cache-store.js';

/**
 * The inventory of a proxy key (docs/redis-layout.md): the set of cache keys its config owns,
 * stored as `{"<key>": ""}` so the Go tooling can read it. Only the primary writes it, and all
 * of its writes run one at a time through the sync queue.
 */
@Injectable()
export class InventoryRepository {
  private readonly logger = new Logger(InventoryRepository.name);

  constructor(private readonly store: CacheStore) {}

  async load(proxyKey: string): Promise<Set<string>> {
    const raw = await this.store.get(CACHE_KEYS.inventory(proxyKey));
    return new Set(raw === null ? [] : Object.keys(JSON.parse(raw) as Record<string, string>));
  }

  async exists(proxyKey: string): Promise<boolean> {
    return (await this.store.get(CACHE_KEYS.inventory(proxyKey))) !== null;
  }

  async save(proxyKey: string, keys: Iterable<string>): Promise<void> {
    // The text of `JSON.stringify` of `{key: ''}` in sorted key order (no key is an integer, so
    // none is reordered), written directly: an object of ~180,000 keys (5,000 environments)
    // took half a second to build and serialise.
    const text = `{${[...keys]
      .sort()
      .map((key) => `${JSON.stringify(key)}:""`)
      .join(',')}}`;
    await this.store.set([[CACHE_KEYS.inventory(proxyKey), text]]);
  }

  /**
   * Applies `change` and writes the inventory only if it added or removed a key: a flag patched
   * in place leaves it as it was, and rewriting it (~180,000 names at 5,000 environments) on
   * every event would cost more than the change itself.
   */
  async update(proxyKey: string, change: (keys: Set<string>) => void): Promise<void> {
    const keys = new ChangeTrackingSet(await this.load(proxyKey));
    change(keys);
    if (keys.changed) {
      await this.save(proxyKey, keys);
    }
  }

  /** Deletes keys, and the `-latest` companion of any list key among them. */
  async deleteAssets(keys: Iterable<string>): Promise<void> {
    const all = [...keys].flatMap((key) =>
      KEY_NAMES.hasLatest(key) ? [key, CACHE_KEYS.latest(key)] : [key],
    );
    if (all.length > 0) {
      await this.store.del(all);
    }
  }

  /**
   * Deletes the assets of every other proxy key's inventory (what a key no longer in use left
   * behind), except those `keep` holds: after a rotation the old key's inventory names the very
   * keys just written for the new one.
   */
  async purgeOthers(proxyKey: string, keep: ReadonlySet<string>): Promise<void> {
    const own = CACHE_KEYS.inventory(proxyKey);
    const others = (await this.store.scan(INVENTORY_SUFFIX)).filter(
      (key) => key !== own && KEY_NAMES.isInventory(key),
    );
    for (const key of others) {
      try {
        const raw = await this.store.get(key);
        const assets = raw === null ? [] : Object.keys(JSON.parse(raw) as object);
        await this.deleteAssets(assets.filter((asset) => !keep.has(asset)));
        await this.store.del([key]);
        this.logger.log({ inventory: loggableKey(key) }, 'purged the data of a previous proxy key');
      } catch (err) {
        this.logger.warn(
          { err, inventory: loggableKey(key) },
          'could not purge a previous proxy key',
        );
      }
    }
  }
}

/** A set that knows whether its keys differ from those it started with. */
class ChangeTrackingSet extends Set<string> {
  private readonly added = new Set<string>();
  private readonly removed = new Set<string>();

  constructor(keys: Iterable<string>) {
    super();
    for (const key of keys) {
      super.add(key);
    }
  }

  get changed(): boolean {
    return this.added.size > 0 || this.removed.size > 0;
  }

  override add(key: string): this {
    if (!this.has(key) && !this.removed.delete(key)) {
      this.added.add(key);
    }
    return super.add(key);
  }

  override delete(key: string): boolean {
    const deleted = super.delete(key);
    if (deleted && !this.added.delete(key)) {
      this.removed.add(key);
    }
    return deleted;
  }
}
