import { FlagSet } from '../cache/flag-set.js';
import { SegmentSet } from '../cache/segment-set.js';
import type { Clause, FeatureConfig } from '../model/feature-config.js';
import type { Segment } from '../model/segment.js';
import { EnvironmentEvaluator } from './environment-evaluator.js';

const flag: FeatureConfig = {
  feature: 'theme',
  kind: 'json',
  state: 'on',
  offVariation: 'a',
  defaultServe: { variation: 'a' },
  variations: [{ identifier: 'a', value: '{"x":1}' }],
};

function evaluator(doubleEncodeJson = false): EnvironmentEvaluator {
  return new EnvironmentEvaluator(new FlagSet('v1', [flag]), new SegmentSet('v1', []), {
    doubleEncodeJson,
    andRules: true,
  });
}

const staff: Clause = { id: 'c1', attribute: 'email', op: 'ends_with', values: ['@acme.io'] };
const uk: Clause = { id: 'c2', attribute: 'country', op: 'equal', values: ['GB'] };
/** Legacy rules say "staff OR in the UK"; the serving rule says "staff AND in the UK". */
const pilots: Segment = {
  identifier: 'pilots',
  name: 'Pilots',
  rules: [staff, uk],
  servingRules: [{ ruleId: 'r1', priority: 1, clauses: [staff, uk] }],
};
const gated: FeatureConfig = {
  feature: 'gated',
  kind: 'boolean',
  state: 'on',
  offVariation: 'off',
  defaultServe: { variation: 'off' },
  variations: [
    { identifier: 'on', value: 'true' },
    { identifier: 'off', value: 'false' },
  ],
  rules: [
    {
      ruleId: 'pilots',
      priority: 1,
      clauses: [{ id: 'c3', attribute: '', op: 'segmentMatch', values: ['pilots'] }],
      serve: { variation: 'on' },
    },
  ],
};

describe('EnvironmentEvaluator', () => {
  it('answers a repeated target with the same bytes, memoised from its second request on', () => {
    const e = evaluator();
    const once = e.all('h:u1', { identifier: 'u1' });
    expect(e.memoised.targets).toBe(0);
    const first = e.all('h:u1', { identifier: 'u1' });
    expect(first.equals(once)).toBe(true);
    expect(e.all('h:u1', { identifier: 'u1' })).toBe(first);
    expect(JSON.parse(first.toString())).toEqual([
      { flag: 'theme', identifier: 'a', kind: 'json', value: '{"x":1}' },
    ]);
  });

  it('does not memoise targets asked once, however many there are', () => {
    const e = evaluator();
    for (let i = 0; i < 20_000; i += 1) {
      e.all(`i:${i}`, { identifier: `u${i}` });
    }
    expect(e.memoised.targets).toBe(0);
    // The first of them fell out of the "seen once" keys: asked again, it still is not memoised.
    e.all('i:0', { identifier: 'u0' });
    expect(e.memoised.targets).toBe(0);
    e.all('i:19999', { identifier: 'u19999' });
    expect(e.memoised.targets).toBe(1);
  });

  it('keeps at most 10,000 targets per config version', () => {
    const e = evaluator();
    for (let i = 0; i < 10_050; i += 1) {
      e.all(`i:${i}`, { identifier: `u${i}` });
      e.all(`i:${i}`, { identifier: `u${i}` });
    }
    expect(e.memoised.targets).toBe(10_000);
  });

  it('memoises huge target headers under their hash, so keys cannot exhaust memory', () => {
    const e = evaluator();
    const huge = `h:${'x'.repeat(300_000)}`;
    e.all(e.keyOf(huge), { identifier: 'u' });
    e.all(e.keyOf(huge), { identifier: 'u' });
    expect(e.memoised.targets).toBe(1);
    expect(e.memoised.bytes).toBeLessThan(1_000);
  });

  it('double-encodes json values only when emulating the Go proxy', () => {
    const value = JSON.parse(evaluator(true).all('k', { identifier: 'u' }).toString())[0].value;
    expect(JSON.parse(value as string)).toBe('{"x":1}');
  });

  it('evaluates segments by their serving rules, or by the legacy rules alone with AND_RULES off', () => {
    const segments = new SegmentSet('v1', [pilots]);
    const flags = new FlagSet('v1', [gated]);
    const target = { identifier: 'u', attributes: { email: 'u@acme.io', country: 'FR' } };
    const value = (andRules: boolean): unknown =>
      new EnvironmentEvaluator(flags, segments, { doubleEncodeJson: false, andRules }).one(
        'gated',
        target,
      );
    expect(value(true)).toMatchObject({ status: 'ok', evaluation: { value: 'false' } });
    expect(value(false)).toMatchObject({ status: 'ok', evaluation: { value: 'true' } });
    // Built once per version, shared by every evaluator of that version.
    expect(segments.legacySegments).toBe(segments.legacySegments);
    expect(segments.legacySegments[0]).not.toHaveProperty('servingRules');
    expect(segments.segments[0]).toHaveProperty('servingRules');
  });
});
