import type { FeatureConfig } from '../model/feature-config.js';
import { booleanFlag } from '../../test/support/flags.js';
import { createEvaluationContext } from './evaluation-context.js';
import { dependsOnTarget, servedReason } from './served-reason.js';

const base: FeatureConfig = booleanFlag('f');
const rollout = { bucketBy: 'identifier', variations: [{ variation: 'false', weight: 100 }] };
const rule = (serve: FeatureConfig['defaultServe']) => ({
  priority: 1,
  clauses: [{ attribute: 'plan', op: 'equal', values: ['pro'], negate: false }],
  serve,
});
const pro = { identifier: 'u1', attributes: { plan: 'pro' } };
const free = { identifier: 'u2', attributes: { plan: 'free' } };

function reason(
  flag: Partial<FeatureConfig>,
  target: typeof pro | null,
  flags: FeatureConfig[] = [],
) {
  const full = { ...base, ...flag };
  return servedReason(createEvaluationContext([full, ...flags], []), full, target);
}

describe(servedReason.name, () => {
  it('says DISABLED for an off flag and STATIC for one with no targeting', () => {
    expect(reason({ state: 'off' }, pro)).toBe('DISABLED');
    expect(reason({}, pro)).toBe('STATIC');
    expect(dependsOnTarget({ ...base, state: 'off', rules: [rule({ variation: 'false' })] })).toBe(
      false,
    );
  });

  it('says TARGETING_MATCH for a listed target or a matched rule, DEFAULT when targeting missed', () => {
    const listed = {
      variationToTargetMap: [{ variation: 'false', targets: [{ identifier: 'u1', name: 'u1' }] }],
    };
    expect(reason(listed, pro)).toBe('TARGETING_MATCH');
    expect(reason(listed, free)).toBe('DEFAULT');
    expect(reason({ rules: [rule({ variation: 'false' })] }, pro)).toBe('TARGETING_MATCH');
    expect(reason({ rules: [rule({ variation: 'false' })] }, free)).toBe('DEFAULT');
    expect(dependsOnTarget({ ...base, ...listed })).toBe(true);
  });

  it('says SPLIT when a rollout chose, in a rule or the default serve', () => {
    expect(reason({ rules: [rule({ distribution: rollout })] }, pro)).toBe('SPLIT');
    expect(reason({ defaultServe: { distribution: rollout } }, free)).toBe('SPLIT');
  });

  it('says TARGETING_MATCH when an unmet prerequisite serves the off variation', () => {
    const gate: FeatureConfig = { ...base, feature: 'gate', defaultServe: { variation: 'false' } };
    const flag = { prerequisites: [{ feature: 'gate', variations: ['true'] }] };
    expect(reason(flag, pro, [gate])).toBe('TARGETING_MATCH');
  });
});
