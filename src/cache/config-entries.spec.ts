import { normaliseFlag, normaliseSegment } from '../model/normalise.js';
import type { FeatureConfig } from '../model/feature-config.js';
import type { Segment } from '../model/segment.js';
import { CACHE_KEYS, sha256Hex } from './cache-keys.js';
import { flagEntries, segmentEntries } from './config-entries.js';

const serve = { variation: 'false' };
const quoted: FeatureConfig = {
  feature: 'b "quoted"',
  kind: 'json',
  state: 'off',
  offVariation: 'x',
  defaultServe: serve,
  variations: [],
  rules: [],
};
const flags: FeatureConfig[] = [
  {
    feature: 'a',
    kind: 'boolean',
    state: 'on',
    offVariation: 'false',
    defaultServe: serve,
    variations: [],
  },
  quoted,
];
const segments: Segment[] = [{ identifier: 's1', name: 'S', included: [] }];

describe('config entries', () => {
  it('writes the list as JSON.stringify of the normalised items, its hash, then each item', () => {
    const entries = new Map(flagEntries('env', flags));
    const list = JSON.stringify(flags.map(normaliseFlag));
    expect(entries.get(CACHE_KEYS.featureConfigs('env'))).toBe(list);
    expect(entries.get(CACHE_KEYS.latest(CACHE_KEYS.featureConfigs('env')))).toBe(
      JSON.stringify(sha256Hex(list)),
    );
    expect(entries.get(CACHE_KEYS.featureConfig('env', 'b "quoted"'))).toBe(
      JSON.stringify(normaliseFlag(quoted)),
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
