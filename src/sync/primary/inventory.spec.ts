import { CACHE_KEYS } from '../../cache/cache-keys.js';
import type { FeatureConfig } from '../../model/feature-config.js';
import type { EnvironmentConfig } from '../../model/environment-config.js';
import { diffInventory, environmentsOf, inventoryOf } from './inventory.js';

const ENV = '515975dd-a4a6-41fe-aefb-ffc088e2b4ec';
const flag = (feature: string) => ({ feature }) as FeatureConfig;

function env(partial: Partial<EnvironmentConfig>): EnvironmentConfig {
  return { id: ENV, apiKeys: [], featureConfigs: [], segments: [], targets: [], ...partial };
}

describe('inventoryOf', () => {
  it('tracks list and item keys of non-empty categories, SDK keys and the key list', () => {
    const keys = inventoryOf([
      env({
        apiKeys: ['h1'],
        featureConfigs: [flag('dark-mode')],
        segments: [{ identifier: 'beta', name: 'Beta Users' }],
      }),
    ]);
    expect([...keys.keys()].sort()).toEqual(
      [
        CACHE_KEYS.apiConfigs(ENV),
        CACHE_KEYS.authKey('h1'),
        CACHE_KEYS.featureConfigs(ENV),
        CACHE_KEYS.featureConfig(ENV, 'dark-mode'),
        CACHE_KEYS.segments(ENV),
        // By identifier, not by name as the Go proxy does.
        CACHE_KEYS.segment(ENV, 'beta'),
      ].sort(),
    );
  });

  it('tracks nothing for empty categories', () => {
    expect(inventoryOf([env({})]).size).toBe(0);
  });
});

describe('diffInventory and environmentsOf', () => {
  it('deletes what is gone, creates what is new, keeps the rest', () => {
    const before = inventoryOf([env({ featureConfigs: [flag('a'), flag('b')] })]);
    const after = inventoryOf([env({ featureConfigs: [flag('b'), flag('c')] })]);
    const diff = diffInventory(new Set(before.keys()), after);
    expect(diff.deleted).toEqual([CACHE_KEYS.featureConfig(ENV, 'a')]);
    expect(diff.created).toEqual([CACHE_KEYS.featureConfig(ENV, 'c')]);
  });

  it('names the environments an inventory holds lists of', () => {
    const inventory = inventoryOf([env({ featureConfigs: [flag('my-segments')] })]);
    expect(environmentsOf(inventory.keys())).toEqual([ENV]);
  });
});
