import type { Clause, FeatureConfig, ServingRule } from '../model/feature-config.js';
import type { Segment } from '../model/segment.js';
import type { Target } from '../model/target.js';
import { createEvaluationContext } from './evaluation-context.js';
import { evaluateFlag, findVariation } from './flag-evaluation.js';

const HARNESS: Target = {
  identifier: 'harness',
  name: 'Harness',
  attributes: { location: 'emea' },
};

function flag(fields: Partial<FeatureConfig> = {}): FeatureConfig {
  return {
    feature: 'f',
    kind: 'string',
    state: 'on',
    offVariation: 'off',
    defaultServe: { variation: 'default' },
    variations: ['off', 'default', 'a', 'b', 'c'].map((id) => ({
      identifier: id,
      value: `${id}-value`,
    })),
    ...fields,
  };
}

function rule(priority: number, serve: ServingRule['serve'], ...clauses: Clause[]): ServingRule {
  return { priority, clauses, serve };
}

const isHarness: Clause = { attribute: 'identifier', op: 'equal', values: ['harness'] };
const inEmea: Clause = { attribute: 'location', op: 'equal', values: ['emea'] };
const inApac: Clause = { attribute: 'location', op: 'equal', values: ['apac'] };

function served(
  config: FeatureConfig,
  target: Target | null,
  segments: Segment[] = [],
): string | undefined {
  const ctx = createEvaluationContext([config], segments);
  return evaluateFlag(ctx, ctx.flags.get(config.feature) ?? config, target)?.identifier;
}

describe('evaluateFlag', () => {
  it('serves offVariation for any state other than exactly "on"', () => {
    expect(served(flag({ state: 'off' }), HARNESS)).toBe('off');
    expect(served(flag({ state: 'On' }), HARNESS)).toBe('off');
    expect(served(flag({ state: '' }), HARNESS)).toBe('off');
  });

  it('serves defaultServe.variation when nothing else applies', () => {
    expect(served(flag(), HARNESS)).toBe('default');
  });

  it('serves a target-map entry listing the target, in map order', () => {
    const variationToTargetMap = [
      { variation: 'a', targets: [{ identifier: 'someone', name: '' }] },
      { variation: 'b', targets: [{ identifier: 'harness', name: '' }] },
      { variation: 'c', targets: [{ identifier: 'harness', name: '' }] },
    ];

    expect(served(flag({ variationToTargetMap }), HARNESS)).toBe('b');
  });

  it('never matches a target-map entry with an empty identifier (Go; Node matches an empty target identifier)', () => {
    const variationToTargetMap = [{ variation: 'a', targets: [{ identifier: '', name: '' }] }];

    expect(served(flag({ variationToTargetMap }), { identifier: '' })).toBe('default');
  });

  it('serves a target-map entry whose segments include the target, even without targets', () => {
    const variationToTargetMap = [{ variation: 'a', targetSegments: ['beta'] }];
    const beta: Segment = {
      identifier: 'beta',
      name: 'Beta',
      included: [{ identifier: 'harness' }],
    };

    expect(served(flag({ variationToTargetMap }), HARNESS, [beta])).toBe('a');
  });

  it('prefers the target map over rules', () => {
    const config = flag({
      variationToTargetMap: [{ variation: 'a', targets: [{ identifier: 'harness', name: '' }] }],
      rules: [rule(1, { variation: 'b' }, isHarness)],
    });

    expect(served(config, HARNESS)).toBe('a');
  });

  it('ANDs the clauses of one rule (Go; Node ORs them)', () => {
    const config = flag({ rules: [rule(1, { variation: 'a' }, isHarness, inApac)] });

    expect(served(config, HARNESS)).toBe('default');
  });

  it('serves a rule with no clauses to every target (Go; Node never matches it)', () => {
    expect(served(flag({ rules: [rule(1, { variation: 'a' })] }), HARNESS)).toBe('a');
  });

  it('tries rules by ascending priority, keeping array order for ties', () => {
    const config = flag({
      rules: [
        rule(1000, { variation: 'a' }, isHarness),
        rule(999, { variation: 'b' }, inEmea),
        rule(999, { variation: 'c' }, isHarness),
      ],
    });

    expect(served(config, HARNESS)).toBe('b');
  });

  it('falls through to defaultServe when a matched rule distribution serves "", without trying later rules', () => {
    const config = flag({
      rules: [
        rule(1, { distribution: { bucketBy: 'identifier', variations: [] } }, isHarness),
        rule(2, { variation: 'b' }, isHarness),
      ],
    });

    expect(served(config, HARNESS)).toBe('default');
  });

  it('serves the distribution of a rule that has both distribution and variation (Go; Node serves the variation)', () => {
    const distribution = { bucketBy: 'identifier', variations: [{ variation: 'a', weight: 100 }] };
    const config = flag({ rules: [rule(1, { distribution, variation: 'b' }, isHarness)] });

    expect(served(config, HARNESS)).toBe('a');
  });

  it('skips a matched rule that serves nothing and tries the next one (Go; Node stops at it)', () => {
    const config = flag({
      rules: [rule(1, {}, isHarness), rule(2, { variation: 'b' }, isHarness)],
    });

    expect(served(config, HARNESS)).toBe('b');
  });

  it('serves the default distribution before defaultServe.variation', () => {
    const defaultServe = {
      variation: 'default',
      distribution: { bucketBy: 'identifier', variations: [{ variation: 'a', weight: 100 }] },
    };

    expect(served(flag({ defaultServe }), HARNESS)).toBe('a');
  });

  it('skips the target map and rules for a null target; the default distribution serves its last entry', () => {
    const config = flag({
      variationToTargetMap: [{ variation: 'a', targetSegments: ['everyone'] }],
      rules: [rule(1, { variation: 'b' })],
      defaultServe: {
        distribution: {
          bucketBy: 'identifier',
          variations: [
            { variation: 'a', weight: 50 },
            { variation: 'c', weight: 50 },
          ],
        },
      },
    });
    const everyone: Segment = { identifier: 'everyone', name: 'Everyone', rules: [isHarness] };

    expect(served(config, null, [everyone])).toBe('c');
  });

  it('fails when nothing is served or the served variation does not exist', () => {
    expect(served(flag({ defaultServe: {} }), HARNESS)).toBeUndefined();
    expect(served(flag({ state: 'off', offVariation: '' }), HARNESS)).toBeUndefined();
    expect(served(flag({ defaultServe: { variation: 'missing' } }), HARNESS)).toBeUndefined();
  });

  it('tolerates null arrays and serves from unnormalised data', () => {
    const raw = Object.assign(flag(), {
      rules: null,
      variationToTargetMap: null,
      prerequisites: null,
    });

    expect(served(raw, HARNESS)).toBe('default');
  });
});

describe('findVariation', () => {
  it('returns the first variation with the identifier', () => {
    const config = flag({
      variations: [
        { identifier: 'x', value: 'first' },
        { identifier: 'x', value: 'second' },
      ],
    });

    expect(findVariation(config, 'x')?.value).toBe('first');
    expect(findVariation(config, 'y')).toBeUndefined();
  });
});
