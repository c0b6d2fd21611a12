import { booleanFlag } from '../../test/support/flags.js';
import type { FeatureConfig, ServingRule } from '../model/feature-config.js';
import type { GroupServingRule, Segment } from '../model/segment.js';
import { createEvaluationContext, withSortedRules } from './evaluation-context.js';

function rule(priority: number, variation: string): ServingRule {
  return { priority, clauses: [], serve: { variation } };
}

function flag(feature: string, rules?: ServingRule[]): FeatureConfig {
  return booleanFlag(feature, { variations: [], rules });
}

function servingRule(priority: number, ruleId: string): GroupServingRule {
  return { ruleId, priority, clauses: [] };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

describe('createEvaluationContext', () => {
  it('maps flags by feature and segments by identifier, in input order', () => {
    const ctx = createEvaluationContext([flag('b'), flag('a')], [{ identifier: 's', name: 'S' }]);

    expect([...ctx.flags.keys()]).toEqual(['b', 'a']);
    expect(ctx.segments.get('s')?.name).toBe('S');
  });

  it('keeps the last object when an identifier repeats', () => {
    const ctx = createEvaluationContext([flag('a'), { ...flag('a'), state: 'off' }], []);

    expect(ctx.flags.get('a')?.state).toBe('off');
  });

  it('sorts flag rules and segment serving rules by priority, stably', () => {
    const ctx = createEvaluationContext(
      [flag('f', [rule(1000, 'x'), rule(999, 'y'), rule(5, 'z'), rule(999, 'w')])],
      [
        {
          identifier: 's',
          name: 'S',
          servingRules: [servingRule(3, 'c'), servingRule(1, 'a'), servingRule(1, 'b')],
        },
      ],
    );

    expect(ctx.flags.get('f')?.rules?.map((r) => r.serve.variation)).toEqual(['z', 'y', 'w', 'x']);
    expect(ctx.segments.get('s')?.servingRules?.map((r) => r.ruleId)).toEqual(['a', 'b', 'c']);
  });

  it('does not mutate its inputs', () => {
    const flags = deepFreeze([flag('f', [rule(2, 'x'), rule(1, 'y')])]);
    const segments = deepFreeze<Segment[]>([
      { identifier: 's', name: 'S', servingRules: [servingRule(2, 'b'), servingRule(1, 'a')] },
    ]);
    const before = structuredClone({ flags, segments });

    createEvaluationContext(flags, segments);

    expect({ flags, segments }).toEqual(before);
  });
});

describe('withSortedRules', () => {
  it('returns the same object when the rules are already in order or absent', () => {
    const sorted = flag('f', [rule(1, 'a'), rule(1, 'b'), rule(2, 'c')]);
    const noRules = flag('g');

    expect(withSortedRules(sorted)).toBe(sorted);
    expect(withSortedRules(noRules)).toBe(noRules);
  });

  it('treats a missing priority as 0, like Go', () => {
    const loose = Object.assign(rule(0, 'none'), { priority: undefined });

    const result = withSortedRules(flag('f', [rule(1, 'one'), loose]));

    expect(result.rules?.map((r) => r.serve.variation)).toEqual(['none', 'one']);
  });
});
