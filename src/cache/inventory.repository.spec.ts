import { CACHE_KEYS } from './cache-keys.js';
import { InventoryRepository } from './inventory.repository.js';
import { MemoryCacheStore } from './memory-cache.store.js';

/** Counts the writes that reach the store. */
class CountingStore extends MemoryCacheStore {
  sets = 0;

  override set(entries: readonly (readonly [string, string])[]): Promise<void> {
    this.sets += 1;
    return super.set(entries);
  }
}

describe(InventoryRepository.name, () => {
  const proxyKey = 'a proxy key';

  it('writes an update only when it adds or removes a key', async () => {
    const store = new CountingStore();
    const inventory = new InventoryRepository(store);
    await inventory.save(proxyKey, ['env-1-feature-configs', 'env-1-feature-config-a']);
    expect(store.sets).toBe(1);

    await inventory.update(proxyKey, (keys) => {
      keys.delete('env-1-feature-config-a');
      keys.add('env-1-feature-config-a');
      keys.add('env-1-feature-configs');
    });
    expect(store.sets).toBe(1);

    await inventory.update(proxyKey, (keys) => keys.add('env-1-feature-config-b'));
    await inventory.update(proxyKey, (keys) => keys.delete('env-1-feature-config-a'));
    expect(store.sets).toBe(3);
    expect(await inventory.load(proxyKey)).toEqual(
      new Set(['env-1-feature-configs', 'env-1-feature-config-b']),
    );
    expect(await store.get(CACHE_KEYS.inventory(proxyKey))).toBe(
      '{"env-1-feature-config-b":"","env-1-feature-configs":""}',
    );
  });
});
