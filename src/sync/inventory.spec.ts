import { CACHE_KEYS } from '../cache/cache-keys.js';
import type { FeatureConfig } from '../model/feature-config.js';
import type { EnvironmentConfig } from './environment-config.js';
import { cleanupNotifications, describeKey, diffInventory, inventoryOf } from './inventory.js';

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

describe('diffInventory and cleanupNotifications', () => {
  it('deletes what is gone, creates what is new, patches the rest, in that order', () => {
    const before = inventoryOf([env({ featureConfigs: [flag('a'), flag('b')] })]);
    const after = inventoryOf([env({ featureConfigs: [flag('b'), flag('c')] })]);
    const diff = diffInventory(new Set(before.keys()), after);
    expect(diff.deleted).toEqual([CACHE_KEYS.featureConfig(ENV, 'a')]);
    const events = cleanupNotifications(diff, after, describeKey);
    expect(events.map((e) => `${e.event}:${e.identifier}`)).toEqual([
      'delete:a',
      'create:c',
      'patch:b',
    ]);
    expect(events.every((e) => e.version === 0 && e.environment === ENV)).toBe(true);
  });
});

describe('describeKey', () => {
  it('reads flag and segment item keys, even with dashes in the identifier', () => {
    expect(describeKey(CACHE_KEYS.featureConfig(ENV, 'my-segment-flag'))).toEqual({
      env: ENV,
      domain: 'flag',
      identifier: 'my-segment-flag',
    });
    expect(describeKey(CACHE_KEYS.segment(ENV, 'beta'))?.domain).toBe('target-segment');
    expect(describeKey(CACHE_KEYS.authKey('h'))).toBeUndefined();
  });
});
