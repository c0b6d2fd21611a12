import * as fc from 'fast-check';
import {
  buildEnvironment,
  type DifferentialEnvironment,
} from '../../test/support/differential/build-environment.js';
import { rawEnvironmentArb, targetArb } from '../../test/support/differential/raw-environment.js';
import { createEvaluationContext } from '../evaluation/evaluation-context.js';
import { evaluateAll } from '../evaluation/evaluator.js';
import type { Evaluation } from '../model/evaluation.js';
import type { FeatureConfig } from '../model/feature-config.js';
import { booleanFlag } from '../../test/support/flags.js';
import type { Target } from '../model/target.js';
import { EvaluationsPlan } from './evaluations-plan.js';

const doubleEncode = (e: Evaluation): Evaluation =>
  e.kind === 'json' ? { ...e, value: JSON.stringify(e.value) } : e;

/** What the evaluations route answered before the plan: evaluate everything, then serialise. */
function reference(env: DifferentialEnvironment, target: Target | null, encode = doubleEncode) {
  const ctx = createEvaluationContext(env.flags, env.segments);
  return Buffer.from(`${JSON.stringify(evaluateAll(ctx, target).map(encode))}\n`);
}

function planned(env: DifferentialEnvironment, target: Target | null, encode = doubleEncode) {
  return new EvaluationsPlan(createEvaluationContext(env.flags, env.segments), encode).body(target);
}

const variations = [
  { identifier: '', name: 'empty', value: 'e' },
  { identifier: 'a', name: 'A', value: 'va' },
  { identifier: 'a', name: 'A2', value: 'va2' },
  { identifier: 'b', name: 'B', value: '{"x":1}' },
];

function flag(feature: string, fields: Partial<FeatureConfig>): FeatureConfig {
  return booleanFlag(feature, {
    kind: 'json',
    offVariation: 'b',
    defaultServe: { variation: 'a' },
    variations,
    ...fields,
  });
}

describe('EvaluationsPlan', () => {
  it('answers byte for byte what evaluating every flag and serialising does (random environments)', () => {
    fc.assert(
      fc.property(rawEnvironmentArb.map(buildEnvironment), targetArb, (env, target) => {
        expect(planned(env, target).toString()).toBe(reference(env, target).toString());
        expect(planned(env, null, (e) => e).toString()).toBe(
          reference(env, null, (e) => e).toString(),
        );
      }),
      { numRuns: 500, seed: 7 },
    );
  });

  it('gets the edge cases of fixed answers right', () => {
    const env: DifferentialEnvironment = {
      segments: [],
      flags: [
        flag('off', { state: 'off' }),
        flag('off-empty', { state: 'off', offVariation: '' }),
        flag('off-empty-prereq-unmet', {
          state: 'off',
          offVariation: '',
          prerequisites: [{ feature: 'off', variations: ['a'] }],
        }),
        flag('off-empty-prereq-met', {
          state: 'off',
          offVariation: '',
          prerequisites: [{ feature: 'off', variations: ['b'] }],
        }),
        flag('on-default-empty', { defaultServe: { variation: '' } }),
        flag('on-default-unknown', { defaultServe: { variation: 'zzz' } }),
        flag('on-duplicate-id', {}),
        flag('state-odd', { state: 'ON' }),
        flag('rollout', {
          defaultServe: {
            distribution: {
              bucketBy: 'identifier',
              variations: [
                { variation: 'a', weight: 50 },
                { variation: 'b', weight: 50 },
              ],
            },
          },
        }),
      ],
    };
    const plan = new EvaluationsPlan(createEvaluationContext(env.flags, env.segments), (e) => e);
    expect(plan.dynamicFlags).toBe(3);
    for (const identifier of ['u1', 'u2', 'u3', 'someone-else']) {
      const target = { identifier, name: identifier, attributes: {} };
      expect(planned(env, target).toString()).toBe(reference(env, target).toString());
    }
  });
});
