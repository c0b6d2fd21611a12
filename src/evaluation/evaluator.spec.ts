import { booleanFlag } from '../../test/support/flags.js';
import type { FeatureConfig } from '../model/feature-config.js';
import type { Target } from '../model/target.js';
import { createEvaluationContext } from './evaluation-context.js';
import { evaluate, evaluateAll, evaluateOne } from './evaluator.js';

const TARGET: Target = { identifier: 'harness', name: 'Harness' };

function flag(feature: string, fields: Partial<FeatureConfig> = {}): FeatureConfig {
  return booleanFlag(feature, { prerequisites: [], ...fields });
}

const JSON_FLAG = flag('json-flag', {
  kind: 'json',
  offVariation: 'empty',
  defaultServe: { variation: 'obj' },
  variations: [
    { identifier: 'obj', value: '{"a": "£5"}' },
    { identifier: 'empty', value: '{}' },
  ],
});
const BROKEN = flag('broken', { defaultServe: { variation: 'missing' } });
const BLOCKED = flag('blocked', { prerequisites: [{ feature: 'off-flag', variations: ['true'] }] });
const OFF = flag('off-flag', { state: 'off' });

describe('evaluate', () => {
  const ctx = createEvaluationContext([BLOCKED, OFF], []);

  it('serves offVariation when prerequisites are unmet, whatever the state', () => {
    expect(evaluate(ctx, BLOCKED, TARGET)?.identifier).toBe('false');
    expect(
      evaluate(ctx, { ...BLOCKED, state: 'off', offVariation: 'true' }, TARGET)?.identifier,
    ).toBe('true');
  });

  it('fails when prerequisites are unmet and offVariation does not exist', () => {
    expect(evaluate(ctx, { ...BLOCKED, offVariation: 'nope' }, TARGET)).toBeUndefined();
  });

  it('serves the flag itself when prerequisites are met', () => {
    const ok = flag('ok', { prerequisites: [{ feature: 'off-flag', variations: ['false'] }] });

    expect(evaluate(ctx, ok, TARGET)?.identifier).toBe('true');
  });

  it('sorts the rules of a flag that does not come from the context', () => {
    const clauses = [{ attribute: 'identifier', op: 'equal', values: ['harness'] }];
    const unsorted = flag('loose', {
      rules: [
        { priority: 2, clauses, serve: { variation: 'true' } },
        { priority: 1, clauses, serve: { variation: 'false' } },
      ],
    });

    expect(evaluate(ctx, unsorted, TARGET)?.identifier).toBe('false');
  });
});

describe('evaluateAll', () => {
  it('returns one element per flag in input order, with the raw variation value', () => {
    const ctx = createEvaluationContext([flag('a'), JSON_FLAG, OFF], []);

    expect(evaluateAll(ctx, TARGET)).toEqual([
      { flag: 'a', identifier: 'true', kind: 'boolean', value: 'true' },
      { flag: 'json-flag', identifier: 'obj', kind: 'json', value: '{"a": "£5"}' },
      { flag: 'off-flag', identifier: 'false', kind: 'boolean', value: 'false' },
    ]);
  });

  it('keeps a flag that fails to evaluate, with empty identifier and value', () => {
    const ctx = createEvaluationContext(
      [BROKEN, { ...JSON_FLAG, offVariation: 'gone', state: 'off' }],
      [],
    );

    expect(evaluateAll(ctx, TARGET)).toEqual([
      { flag: 'broken', identifier: '', kind: 'boolean', value: '' },
      { flag: 'json-flag', identifier: '', kind: 'json', value: '' },
    ]);
  });

  it('returns nothing for an environment without flags', () => {
    expect(evaluateAll(createEvaluationContext([], []), TARGET)).toEqual([]);
  });
});

describe('evaluateOne', () => {
  const ctx = createEvaluationContext([JSON_FLAG, BROKEN, BLOCKED, OFF], []);

  it('returns the evaluation of a known flag', () => {
    expect(evaluateOne(ctx, 'json-flag', TARGET)).toEqual({
      status: 'ok',
      evaluation: { flag: 'json-flag', identifier: 'obj', kind: 'json', value: '{"a": "£5"}' },
    });
  });

  it('applies prerequisites', () => {
    const result = evaluateOne(ctx, 'blocked', TARGET);

    expect(result.status === 'ok' && result.evaluation.identifier).toBe('false');
  });

  it('tells an unknown flag apart from an evaluation error', () => {
    expect(evaluateOne(ctx, 'nope', TARGET)).toEqual({ status: 'unknown-flag' });
    expect(evaluateOne(ctx, 'broken', TARGET)).toEqual({ status: 'error' });
  });

  it('does not check the kind against the served value', () => {
    const mismatched = flag('mismatch', { kind: 'int' });

    const result = evaluateOne(createEvaluationContext([mismatched], []), 'mismatch', TARGET);

    expect(result.status === 'ok' && result.evaluation.value).toBe('true');
  });
});
