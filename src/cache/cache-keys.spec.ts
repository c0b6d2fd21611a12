import { CACHE_KEYS, KEY_NAMES, loggableKey, sha256Hex } from './cache-keys.js';

describe('CACHE_KEYS', () => {
  const env = '515975dd-a4a6-41fe-aefb-ffc088e2b4ec';

  it('builds the Harness key layout, singular per-item keys included', () => {
    expect(CACHE_KEYS.authKey('abc')).toBe('auth-key-abc');
    expect(CACHE_KEYS.apiConfigs(env)).toBe(`env-${env}-api-configs`);
    expect(CACHE_KEYS.featureConfigs(env)).toBe(`env-${env}-feature-configs`);
    expect(CACHE_KEYS.featureConfig(env, 'dark-mode')).toBe(`env-${env}-feature-config-dark-mode`);
    expect(CACHE_KEYS.segments(env)).toBe(`env-${env}-segments`);
    expect(CACHE_KEYS.segment(env, 'beta')).toBe(`env-${env}-segment-beta`);
    expect(CACHE_KEYS.targetConfig(env, 'u1')).toBe(`env-${env}-target-config-u1`);
    expect(CACHE_KEYS.latest(CACHE_KEYS.segments(env))).toBe(`env-${env}-segments-latest`);
  });

  it('never puts the raw proxy key in the inventory key name', () => {
    const key = CACHE_KEYS.inventory('my-secret-proxy-key');
    expect(key).not.toContain('my-secret-proxy-key');
    expect(key).toBe(`key-${sha256Hex('my-secret-proxy-key')}-inventory`);
  });
});

describe(sha256Hex.name, () => {
  it('matches the spec test vector for SDK key hashing', () => {
    expect(sha256Hex('0BE2E2F7-A8A5-41A0-957E-59F92C3D81CB')).toBe(
      '9eff2aabbfde0c6dcbd8266592b1062023ed05d1a1b384001d8111aa35d484a4',
    );
  });
});

describe(loggableKey.name, () => {
  it('cuts every SHA-256 in a key to its 12-hex fingerprint', () => {
    const hash = sha256Hex('a proxy key');
    expect(loggableKey(CACHE_KEYS.inventory('a proxy key'))).toBe(
      `key-${hash.slice(0, 12)}…-inventory`,
    );
    expect(loggableKey(CACHE_KEYS.authKey(hash))).toBe(`auth-key-${hash.slice(0, 12)}…`);
    expect(loggableKey('env-1234-feature-configs')).toBe('env-1234-feature-configs');
  });
});

describe('KEY_NAMES', () => {
  const env = '515975dd-a4a6-41fe-aefb-ffc088e2b4ec';
  const hash = sha256Hex('an sdk key');

  it('reads back what CACHE_KEYS builds', () => {
    expect(KEY_NAMES.authKeyHash(CACHE_KEYS.authKey(hash))).toBe(hash);
    expect(KEY_NAMES.list(CACHE_KEYS.featureConfigs(env))).toEqual({ env, kind: 'flags' });
    expect(KEY_NAMES.list(CACHE_KEYS.segments(env))).toEqual({ env, kind: 'segments' });
    expect(KEY_NAMES.list(CACHE_KEYS.apiConfigs(env))).toEqual({ env, kind: 'apiKeys' });
    expect(KEY_NAMES.isInventory(CACHE_KEYS.inventory('a proxy key'))).toBe(true);
  });

  it('never takes an item or a target named like a list for a list', () => {
    for (const key of [
      CACHE_KEYS.featureConfig(env, 'beta-segments'),
      CACHE_KEYS.segment(env, 'all-feature-configs'),
      CACHE_KEYS.targetConfig(env, 'user-feature-configs'),
      CACHE_KEYS.latest(CACHE_KEYS.featureConfigs(env)),
    ]) {
      expect(KEY_NAMES.list(key)).toBeUndefined();
      expect(KEY_NAMES.hasLatest(key)).toBe(false);
    }
    expect(KEY_NAMES.servedKind(CACHE_KEYS.featureConfig(env, 'beta-segments'))).toBeUndefined();
    expect(KEY_NAMES.servedKind(CACHE_KEYS.targetConfig(env, 'user-feature-configs'))).toBe(
      'target',
    );
  });

  it('tells what memory serves SDKs from, and nothing else', () => {
    expect(KEY_NAMES.servedKind(CACHE_KEYS.featureConfigs(env))).toBe('flags');
    expect(KEY_NAMES.servedKind(CACHE_KEYS.segments(env))).toBe('segments');
    expect(KEY_NAMES.servedKind(CACHE_KEYS.authKey(hash))).toBe('authKey');
    expect(KEY_NAMES.servedKind(CACHE_KEYS.apiConfigs(env))).toBeUndefined();
    expect(KEY_NAMES.servedKind(CACHE_KEYS.seedMarker)).toBeUndefined();
    expect(KEY_NAMES.hasLatest(CACHE_KEYS.segments(env))).toBe(true);
    expect(KEY_NAMES.isInventory(CACHE_KEYS.sdkMetricsPosition)).toBe(false);
  });
});
