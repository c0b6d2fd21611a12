import type { Clause } from '../model/feature-config.js';
import type { GroupServingRule, Segment } from '../model/segment.js';
import type { Target } from '../model/target.js';
import { allClausesMatch, clauseMatches, inAnySegment } from './clause.js';
import { createEvaluationContext } from './evaluation-context.js';

const ALICE: Target = { identifier: 'alice', name: 'Alice', attributes: { location: 'emea' } };
const BOB: Target = { identifier: 'bob' };

function clause(attribute: string, op: string, ...values: string[]): Clause {
  return { attribute, op, values };
}

function segment(identifier: string, fields: Partial<Segment> = {}): Segment {
  return { identifier, name: identifier, ...fields };
}

const contextWith = (...segments: Segment[]) => createEvaluationContext([], segments);

function servingRule(ruleId: string, ...clauses: Clause[]): GroupServingRule {
  return { ruleId, priority: 1, clauses };
}

const IS_ALICE = clause('identifier', 'equal', 'alice');
const ALICE_REF = [{ identifier: 'alice' }];

describe('clauseMatches', () => {
  const ctx = contextWith(segment('members', { included: ALICE_REF }));

  it('matches a clause on an attribute', () => {
    expect(clauseMatches(ctx, clause('location', 'equal', 'EMEA'), ALICE)).toBe(true);
    expect(clauseMatches(ctx, clause('location', 'equal', 'apac'), ALICE)).toBe(false);
  });

  it('is false for an empty operator or no values, even for segmentMatch', () => {
    expect(clauseMatches(ctx, clause('location', '', 'emea'), ALICE)).toBe(false);
    expect(clauseMatches(ctx, clause('location', 'in'), ALICE)).toBe(false);
    expect(clauseMatches(ctx, clause('', 'segmentMatch'), ALICE)).toBe(false);
    const nullValues = Object.assign(clause('location', 'equal'), { values: null });
    expect(clauseMatches(ctx, nullValues, ALICE)).toBe(false);
  });

  it('is false when the attribute is empty or absent, whatever the operator', () => {
    const blank: Target = { identifier: 'bob', attributes: { location: '' } };

    expect(clauseMatches(ctx, clause('location', 'equal', ''), blank)).toBe(false);
    expect(clauseMatches(ctx, clause('location', 'in', '', 'x'), blank)).toBe(false);
    expect(clauseMatches(ctx, clause('missing', 'match', '.*'), ALICE)).toBe(false);
    expect(clauseMatches(ctx, clause('', 'contains', ''), ALICE)).toBe(false);
  });

  it('ignores negate (both SDKs)', () => {
    const negated: Clause = { ...clause('location', 'equal', 'emea'), negate: true };

    expect(clauseMatches(ctx, negated, ALICE)).toBe(true);
  });

  it('checks segment membership for segmentMatch, ignoring the attribute', () => {
    expect(clauseMatches(ctx, clause('', 'segmentMatch', 'members'), ALICE)).toBe(true);
    expect(clauseMatches(ctx, clause('x', 'segmentMatch', 'members'), ALICE)).toBe(true);
    expect(clauseMatches(ctx, clause('', 'segmentMatch', 'members'), BOB)).toBe(false);
  });

  it('compares numbers and booleans as their Go strings', () => {
    const target: Target = { identifier: 'x', attributes: { age: 27, beta: true } };

    expect(clauseMatches(ctx, clause('age', 'equal', '27'), target)).toBe(true);
    expect(clauseMatches(ctx, clause('age', 'equal', '27.0'), target)).toBe(false);
    expect(clauseMatches(ctx, clause('age', 'gt', '9'), target)).toBe(false);
    expect(clauseMatches(ctx, clause('beta', 'equal', 'TRUE'), target)).toBe(true);
    expect(clauseMatches(ctx, clause('beta', 'equal_sensitive', 'true'), target)).toBe(true);
  });
});

describe('allClausesMatch', () => {
  const ctx = contextWith();

  it('ANDs the clauses of one rule (Go; Node ORs them)', () => {
    const clauses = [IS_ALICE, clause('location', 'equal', 'apac')];

    expect(allClausesMatch(ctx, clauses, ALICE)).toBe(false);
    expect(allClausesMatch(ctx, clauses.slice(0, 1), ALICE)).toBe(true);
  });

  it('matches everything with an empty clause list (Go; Node never matches it)', () => {
    expect(allClausesMatch(ctx, [], ALICE)).toBe(true);
  });
});

describe('inAnySegment', () => {
  it('includes a target listed in included', () => {
    const ctx = contextWith(segment('beta', { included: ALICE_REF }));

    expect(inAnySegment(ctx, ['beta'], ALICE)).toBe(true);
    expect(inAnySegment(ctx, ['beta'], BOB)).toBe(false);
  });

  it('lets an exclusion win at once, even over later segments that include the target', () => {
    const ctx = contextWith(
      segment('blocked', { excluded: ALICE_REF, included: ALICE_REF }),
      segment('beta', { included: ALICE_REF }),
    );

    expect(inAnySegment(ctx, ['blocked', 'beta'], ALICE)).toBe(false);
    expect(inAnySegment(ctx, ['beta', 'blocked'], ALICE)).toBe(true);
  });

  it('lets an exclusion beat the segment rules', () => {
    const ctx = contextWith(
      segment('t', {
        excluded: [{ identifier: 'three' }],
        rules: [clause('identifier', 'starts_with', 't')],
      }),
    );

    expect(inAnySegment(ctx, ['t'], { identifier: 'three' })).toBe(false);
    expect(inAnySegment(ctx, ['t'], { identifier: 'two' })).toBe(true);
  });

  it('ORs legacy rules', () => {
    const ctx = contextWith(
      segment('legacy', {
        rules: [clause('identifier', 'equal', 'nobody'), clause('location', 'equal', 'emea')],
      }),
    );

    expect(inAnySegment(ctx, ['legacy'], ALICE)).toBe(true);
  });

  it('ANDs the clauses of a serving rule and ORs the serving rules', () => {
    const ctx = contextWith(
      segment('v2', {
        servingRules: [
          servingRule('r1', IS_ALICE, clause('location', 'equal', 'apac')),
          servingRule('r2', IS_ALICE, clause('location', 'equal', 'emea')),
        ],
      }),
    );

    expect(inAnySegment(ctx, ['v2'], ALICE)).toBe(true);
    expect(inAnySegment(ctx, ['v2'], { ...ALICE, attributes: { location: 'amer' } })).toBe(false);
  });

  it('never matches a serving rule without clauses', () => {
    const ctx = contextWith(segment('v2', { servingRules: [servingRule('empty')] }));

    expect(inAnySegment(ctx, ['v2'], ALICE)).toBe(false);
  });

  it('ignores legacy rules when serving rules are present', () => {
    const ctx = contextWith(
      segment('both', {
        rules: [IS_ALICE],
        servingRules: [servingRule('bob', clause('identifier', 'equal', 'bob'))],
      }),
      segment('empty-v2', { rules: [IS_ALICE], servingRules: [] }),
    );

    expect(inAnySegment(ctx, ['both'], ALICE)).toBe(false);
    expect(inAnySegment(ctx, ['empty-v2'], ALICE)).toBe(true);
  });

  it('skips a missing segment (Go proxy and Node; the bare Go SDK fails the whole check)', () => {
    const ctx = contextWith(segment('beta', { included: ALICE_REF }));

    expect(inAnySegment(ctx, ['gone', 'beta'], ALICE)).toBe(true);
    expect(inAnySegment(ctx, ['gone'], ALICE)).toBe(false);
  });

  it('follows segmentMatch into other segments, treating a cycle as not matching', () => {
    const ctx = contextWith(
      segment('a', {
        rules: [clause('', 'segmentMatch', 'b'), clause('location', 'equal', 'emea')],
      }),
      segment('b', { rules: [clause('', 'segmentMatch', 'a')] }),
      segment('self', { servingRules: [servingRule('self', clause('', 'segmentMatch', 'self'))] }),
    );

    expect(inAnySegment(ctx, ['b'], ALICE)).toBe(true);
    expect(inAnySegment(ctx, ['b'], BOB)).toBe(false);
    expect(inAnySegment(ctx, ['self'], ALICE)).toBe(false);
  });

  it('compares list entries by identifier only and finds nothing for a null target', () => {
    const ctx = contextWith(
      segment('beta', { included: [{ identifier: 'alice', name: 'Someone else' }] }),
    );

    expect(inAnySegment(ctx, ['beta'], { identifier: 'alice', name: 'Alice' })).toBe(true);
    expect(inAnySegment(ctx, ['beta'], null)).toBe(false);
  });

  it('tolerates null member lists and rules from unnormalised data', () => {
    const nulls = { included: null, excluded: null, rules: null, servingRules: null };
    const raw = Object.assign(segment('raw'), nulls);

    expect(inAnySegment(contextWith(raw), ['raw'], ALICE)).toBe(false);
  });
});
