import { CACHE_KEYS } from './cache-keys.js';
import { MemoryMirror } from './memory-mirror.js';

const ENV = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';

describe(MemoryMirror.name, () => {
  it('keeps targets within 32 MiB however large clients make them, newest kept', () => {
    const mirror = new MemoryMirror();
    const big = JSON.stringify({ identifier: 'x', attributes: { blob: 'x'.repeat(1024 * 1024) } });
    for (let i = 0; i < 100; i += 1) {
      mirror.record([[CACHE_KEYS.targetConfig(ENV, `t${i}`), big]]);
    }
    expect(mirror.size.targets).toBeLessThanOrEqual(32);
    expect(mirror.lookup(CACHE_KEYS.targetConfig(ENV, 't99'))).toBeDefined();
    expect(mirror.lookup(CACHE_KEYS.targetConfig(ENV, 't0'))).toBeUndefined();
  });

  it('keeps at most 10,000 targets', () => {
    const mirror = new MemoryMirror();
    for (let i = 0; i < 10_050; i += 1) {
      mirror.record([[CACHE_KEYS.targetConfig(ENV, `t${i}`), `{"identifier":"t${i}"}`]]);
    }
    expect(mirror.size.targets).toBe(10_000);
  });

  it('never lets an emptied store erase a target it knows (targets are never deleted)', () => {
    const mirror = new MemoryMirror();
    const key = CACHE_KEYS.targetConfig(ENV, 'kept');
    mirror.record([[key, '{"identifier":"kept","attributes":{"plan":"pro"}}']]);
    mirror.record([[key, null]]);
    const known = mirror.lookup(key);
    expect(known && mirror.target(known.entry)).toMatchObject({ attributes: { plan: 'pro' } });
  });
});
