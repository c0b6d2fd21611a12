import { createEvaluationContext } from '../../../src/evaluation/evaluation-context.js';
import { evaluate } from '../../../src/evaluation/evaluator.js';
import type { FeatureConfig } from '../../../src/model/feature-config.js';
import type { UpstreamEmulator } from '../../../test/support/upstream-emulator/upstream-emulator.js';
import { booleanFlag } from '../../../test/support/upstream-emulator/fixtures.js';

const COLOURS = ['red', 'green', 'blue'];

/** `mulberry32`: a small seeded PRNG, so a run's changes can be replayed with its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A flag only {@link FlagChurn.finalChange} changes: every SDK must see that change. */
const SETTLE_FLAG = 'chaos-settle';

/**
 * Booleans and three-colour strings, every other one with a rule that serves `beta` targets
 * something else, so evaluations depend on the target and not only on the flag's state; plus
 * the flag the last change of a run turns off.
 */
export function chaosFlags(count: number): FeatureConfig[] {
  const churned = Array.from({ length: count }, (_, i) => {
    const feature = `chaos-flag-${i}`;
    const flag =
      i % 2 === 0
        ? booleanFlag(feature, { state: 'on' })
        : booleanFlag(feature, {
            kind: 'string',
            state: 'on',
            variations: COLOURS.map((c) => ({ identifier: c, value: c, name: c })),
            defaultServe: { variation: 'red' },
            offVariation: 'blue',
          });
    if (i % 4 < 2) {
      flag.rules = [
        {
          ruleId: `${feature}-beta`,
          priority: 1,
          clauses: [{ attribute: 'group', op: 'equal', negate: false, values: ['beta'] }],
          serve: { variation: flag.kind === 'boolean' ? 'false' : 'green' },
        },
      ];
    }
    return flag;
  });
  return [...churned, booleanFlag(SETTLE_FLAG, { state: 'on' })];
}

/** Flags change upstream on a timer: a state toggle or a new default variation, seeded. */
export class FlagChurn {
  changes = 0;
  private timer?: NodeJS.Timeout;
  private readonly random: () => number;

  constructor(
    private readonly upstream: UpstreamEmulator,
    private readonly env: string,
    seed: number,
  ) {
    this.random = seededRandom(seed);
  }

  start(everyMs: number): void {
    this.timer = setInterval(() => this.change(), everyMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** The last change of a run: one that changes what every target is served. */
  finalChange(): void {
    this.upstream.toggleFlag(this.env, SETTLE_FLAG, 'off');
    this.changes += 1;
  }

  /** One change now; returns the flag changed. */
  change(): string {
    const flags = this.upstream.featureConfigs(this.env).filter((f) => f.feature !== SETTLE_FLAG);
    const flag = flags[Math.floor(this.random() * flags.length)] as FeatureConfig;
    const next = structuredClone(flag);
    if (this.random() < 0.5) {
      next.state = next.state === 'on' ? 'off' : 'on';
    } else {
      const others = next.variations.filter((v) => v.identifier !== next.defaultServe.variation);
      const pick = others[Math.floor(this.random() * others.length)];
      next.defaultServe = { variation: pick?.identifier ?? next.defaultServe.variation };
    }
    this.upstream.upsertFlag(this.env, next);
    this.changes += 1;
    return next.feature;
  }
}

/** A flag's kind and what it serves one target. */
export interface FlagTruth {
  kind: string;
  value: unknown;
}

/** What each flag serves `target` according to the upstream's current config: the truth. */
export function upstreamTruth(
  upstream: UpstreamEmulator,
  env: string,
  target: { identifier: string; attributes: Record<string, string> },
): Map<string, FlagTruth> {
  const flags = upstream.featureConfigs(env);
  const ctx = createEvaluationContext(flags, upstream.segments(env));
  const truth = new Map<string, FlagTruth>();
  for (const flag of flags) {
    const value = evaluate(ctx, flag, { ...target, name: target.identifier })?.value;
    truth.set(flag.feature, {
      kind: flag.kind,
      value: flag.kind === 'boolean' ? value === 'true' : value,
    });
  }
  return truth;
}
