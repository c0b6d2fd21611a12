import { normaliseFlag, normaliseSegment } from '../model/normalise.js';
import type { FeatureConfig } from '../model/feature-config.js';
import type { Segment } from '../model/segment.js';
import { CACHE_KEYS, sha256Hex } from './cache-keys.js';
import { flagEntries, segmentEntries } from './config-entries.js';

const flags = [
  { feature: 'a', kind: 'boolean', state: 'on', offVariation: 'false', variations: [] },
  { feature: 'b "quoted"', kind: 'json', state: 'off', offVariation: 'x', rules: [] },
] as unknown as FeatureConfig[];
const segments = [{ identifier: 's1', name: 'S', included: [] }] as unknown as Segment[];

describe('config entries', () => {
  it('writes the list as JSON.stringify of the normalised items, its hash, then each item', () => {
    const entries = new Map(flagEntries('env', flags));
    const list = JSON.stringify(flags.map(normaliseFlag));
    expect(entries.get(CACHE_KEYS.featureConfigs('env'))).toBe(list);
    expect(entries.get(CACHE_KEYS.latest(CACHE_KEYS.featureConfigs('env')))).toBe(
      JSON.stringify(sha256Hex(list)),
    );
    expect(entries.get(CACHE_KEYS.featureConfig('env', 'b "quoted"'))).toBe(
      JSON.stringify(normaliseFlag(flags[1] as FeatureConfig)),
    );
    expect([...entries.keys()]).toHaveLength(4);
  });

  it('does the same for segments, and for an empty list', () => {
    const entries = new Map(segmentEntries('env', segments));
    expect(entries.get(CACHE_KEYS.segments('env'))).toBe(
      JSON.stringify(segments.map(normaliseSegment)),
    );
    expect(new Map(flagEntries('env', [])).get(CACHE_KEYS.featureConfigs('env'))).toBe('[]');
  });
});
