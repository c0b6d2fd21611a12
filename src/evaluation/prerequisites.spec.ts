import type { FeatureConfig, Prerequisite } from '../model/feature-config.js';
import type { Target } from '../model/target.js';
import { createEvaluationContext } from './evaluation-context.js';
import { prerequisitesSatisfied } from './prerequisites.js';

const TARGET: Target = { identifier: 'harness', name: 'Harness' };

/** A flag serving `on` when its state is on and `off` otherwise. */
function flag(feature: string, state: string, ...prerequisites: Prerequisite[]): FeatureConfig {
  return {
    feature,
    kind: 'boolean',
    state,
    offVariation: 'off',
    defaultServe: { variation: 'on' },
    variations: [
      { identifier: 'on', value: 'true' },
      { identifier: 'off', value: 'false' },
    ],
    prerequisites,
  };
}

function requires(feature: string, ...variations: string[]): Prerequisite {
  return { feature, variations };
}

function satisfied(
  feature: string,
  flags: FeatureConfig[],
  target: Target | null = TARGET,
): boolean {
  const ctx = createEvaluationContext(flags, []);
  const subject = ctx.flags.get(feature);
  if (!subject) {
    throw new Error(`no flag ${feature}`);
  }
  return prerequisitesSatisfied(ctx, subject, target);
}

describe('prerequisitesSatisfied', () => {
  it('holds for no prerequisites, empty or absent', () => {
    const absent = { ...flag('main', 'on'), prerequisites: undefined };

    expect(satisfied('main', [flag('main', 'on')])).toBe(true);
    expect(satisfied('main', [absent])).toBe(true);
  });

  it('holds when each prerequisite serves one of its listed variations', () => {
    const flags = [
      flag('main', 'on', requires('a', 'on'), requires('b', 'off', 'on')),
      flag('a', 'on'),
      flag('b', 'off'),
    ];

    expect(satisfied('main', flags)).toBe(true);
  });

  it('fails when a prerequisite serves an unlisted variation, including an off flag serving offVariation', () => {
    expect(satisfied('main', [flag('main', 'on', requires('a', 'on')), flag('a', 'off')])).toBe(
      false,
    );
    expect(satisfied('main', [flag('main', 'on', requires('a', 'off')), flag('a', 'on')])).toBe(
      false,
    );
  });

  it('holds as soon as a prerequisite flag is missing, without checking the rest (Go)', () => {
    const flags = [
      flag('main', 'on', requires('gone', 'on'), requires('a', 'on')),
      flag('a', 'off'),
    ];

    expect(satisfied('main', flags)).toBe(true);
  });

  it('holds as soon as a prerequisite fails to evaluate (Go; Node throws)', () => {
    const broken = { ...flag('broken', 'on'), defaultServe: { variation: 'nope' } };
    const flags = [
      flag('main', 'on', requires('broken', 'on'), requires('a', 'on')),
      broken,
      flag('a', 'off'),
    ];

    expect(satisfied('main', flags)).toBe(true);
  });

  it('checks prerequisites of prerequisites', () => {
    const flags = [
      flag('main', 'on', requires('a', 'on')),
      flag('a', 'on', requires('b', 'on')),
      flag('b', 'off'),
    ];

    expect(satisfied('main', flags)).toBe(false);
    expect(satisfied('main', [...flags.slice(0, 2), flag('b', 'on')])).toBe(true);
  });

  it("takes a prerequisite's own variation, not what its unmet prerequisites would serve", () => {
    // 'a' itself would serve 'off' through evaluate(), but evaluateFlag gives 'on'; the
    // recursion then reports the unmet prerequisite of 'a'.
    const flags = [
      flag('main', 'on', requires('a', 'on')),
      flag('a', 'on', requires('b', 'on')),
      flag('b', 'off'),
    ];
    const ctx = createEvaluationContext(flags, []);
    const a = ctx.flags.get('a');

    expect(a && prerequisitesSatisfied(ctx, a, TARGET)).toBe(false);
  });

  it('treats a prerequisite cycle as not satisfied', () => {
    const cycle = [flag('a', 'on', requires('b', 'on')), flag('b', 'on', requires('a', 'on'))];

    expect(satisfied('a', cycle)).toBe(false);
    expect(satisfied('self', [flag('self', 'on', requires('self', 'on'))])).toBe(false);
  });

  it('accepts a prerequisite shared by two branches, which is not a cycle', () => {
    const flags = [
      flag('main', 'on', requires('a', 'on'), requires('b', 'on')),
      flag('a', 'on', requires('shared', 'on')),
      flag('b', 'on', requires('shared', 'on')),
      flag('shared', 'on'),
    ];

    expect(satisfied('main', flags)).toBe(true);
  });

  it('evaluates prerequisites for a null target too', () => {
    expect(
      satisfied('main', [flag('main', 'on', requires('a', 'on')), flag('a', 'on')], null),
    ).toBe(true);
  });
});
