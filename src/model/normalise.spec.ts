import type { FeatureConfig } from './feature-config.js';
import { normaliseFlag, normaliseSegment } from './normalise.js';
import type { Segment } from './segment.js';

describe(normaliseFlag.name, () => {
  // Upstream JSON as production decodes it: nulls and unknown fields included.
  const flag: FeatureConfig = JSON.parse(
    JSON.stringify({
      version: 3,
      feature: 'dark-mode',
      kind: 'boolean',
      state: 'on',
      offVariation: 'false',
      defaultServe: { variation: 'false' },
      variations: [{ identifier: 'true', value: 'true', name: null, extra: 1 }],
      variationToTargetMap: null,
      unknownField: 'dropped',
    }),
  );

  it('writes known fields in Go order, drops nulls and unknown fields', () => {
    expect(JSON.stringify(normaliseFlag(flag))).toBe(
      '{"defaultServe":{"variation":"false"},"feature":"dark-mode","kind":"boolean",' +
        '"offVariation":"false","state":"on","variationToTargetMap":[],' +
        '"variations":[{"identifier":"true","value":"true"}],"version":3}',
    );
  });

  it('never emits a missing variationToTargetMap (the .NET SDK breaks on null)', () => {
    expect(normaliseFlag(flag).variationToTargetMap).toEqual([]);
  });

  it('keeps a missing version missing rather than inventing one', () => {
    const { version: _version, ...unversioned } = flag;
    expect(normaliseFlag(unversioned as FeatureConfig)).not.toHaveProperty('version');
  });
});

describe(normaliseSegment.name, () => {
  const clause = (attribute: string) => ({ attribute, op: 'equal', values: ['x'] });

  it('back-fills legacy rules with the first clause of each serving rule', () => {
    const segment: Segment = {
      identifier: 'beta',
      name: 'Beta',
      servingRules: [
        { ruleId: 'r1', priority: 1, clauses: [clause('a'), clause('b')] },
        { ruleId: 'r2', priority: 2, clauses: [clause('c')] },
      ],
    };
    expect(normaliseSegment(segment).rules).toEqual([clause('a'), clause('c')]);
  });

  it('keeps existing legacy rules untouched', () => {
    const segment: Segment = {
      identifier: 'beta',
      name: 'Beta',
      rules: [clause('z')],
      servingRules: [{ ruleId: 'r1', priority: 1, clauses: [clause('a')] }],
    };
    expect(normaliseSegment(segment).rules).toEqual([clause('z')]);
  });
});
