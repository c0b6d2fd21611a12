import type { EvaluationContext } from '../evaluation/evaluation-context.js';
import { evaluatePrepared, toEvaluation } from '../evaluation/evaluator.js';
import { findVariation } from '../evaluation/flag-evaluation.js';
import type { ServedCache } from '../evaluation/prerequisites.js';
import type { Evaluation } from '../model/evaluation.js';
import type { FeatureConfig, Variation } from '../model/feature-config.js';
import type { Target } from '../model/target.js';

/** A flag whose answer is the same for every target: its JSON bytes, encoded once per version. */
interface StaticFlag {
  readonly json: Buffer;
}

/** A flag that must be evaluated per target; each possible answer is already JSON bytes. */
interface DynamicFlag {
  readonly flag: FeatureConfig;
  /** By variation identifier (the first variation with it, as the evaluator finds it). */
  readonly byVariation: ReadonlyMap<string, Buffer>;
  /** The element of an evaluation error: `identifier` and `value` empty. */
  readonly failed: Buffer;
}

const OPEN = Buffer.from('[');
const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']\n');

type FlagPlan = StaticFlag | DynamicFlag;

/**
 * The `/evaluations` body of one environment version, prepared so that a new target costs only
 * the evaluation of the flags that depend on it: no JSON serialisation or UTF-8 encoding at
 * request time (every element a flag can produce is encoded to bytes once; a body is a copy of
 * those bytes) and no evaluation at all for flags that serve the same variation to everyone (off,
 * or on with nothing but a fixed default). The body is byte for byte
 * `JSON.stringify(evaluateAll(...).map(encode))` plus a newline (tested against it).
 */
export class EvaluationsPlan {
  private readonly plans: FlagPlan[] = [];

  constructor(
    private readonly context: EvaluationContext,
    encode: (evaluation: Evaluation) => Evaluation,
  ) {
    const json = (flag: FeatureConfig, variation: Variation | undefined): Buffer =>
      Buffer.from(JSON.stringify(encode(toEvaluation(flag, variation))));
    for (const flag of context.flags.values()) {
      const fixed = fixedAnswer(flag);
      if (fixed) {
        this.plans.push({ json: json(flag, fixed.variation) });
        continue;
      }
      const byVariation = new Map<string, Buffer>();
      for (const variation of flag.variations ?? []) {
        if (!byVariation.has(variation.identifier)) {
          byVariation.set(variation.identifier, json(flag, variation));
        }
      }
      this.plans.push({ flag, byVariation, failed: json(flag, undefined) });
    }
  }

  /** How many flags are evaluated per target (the rest are the same for everyone). */
  get dynamicFlags(): number {
    return this.plans.filter((plan) => 'flag' in plan).length;
  }

  body(target: Target | null): Buffer {
    const parts: Buffer[] = [OPEN];
    let length = OPEN.length + CLOSE.length;
    // A prerequisite shared by several flags (or evaluated itself too) is evaluated once.
    const evaluated: ServedCache = new Map();
    for (const plan of this.plans) {
      let part: Buffer;
      if ('json' in plan) {
        part = plan.json;
      } else {
        const variation = evaluatePrepared(this.context, plan.flag, target, evaluated);
        part = (variation && plan.byVariation.get(variation.identifier)) ?? plan.failed;
      }
      if (parts.length > 1) {
        parts.push(COMMA);
        length += COMMA.length;
      }
      parts.push(part);
      length += part.length;
    }
    parts.push(CLOSE);
    return Buffer.concat(parts, length);
  }
}

/**
 * What a flag serves whatever the target (`variation` undefined: an evaluation error), or
 * undefined when that depends on the target. Off (any state but "on") serves `offVariation`
 * with prerequisites met or not, except that an empty `offVariation` is an error in one path and
 * a lookup of `""` in the other: such a flag with prerequisites is left to the evaluator.
 */
function fixedAnswer(flag: FeatureConfig): { variation: Variation | undefined } | undefined {
  const hasPrerequisites = (flag.prerequisites ?? []).length > 0;
  if (flag.state !== 'on') {
    return flag.offVariation === '' && hasPrerequisites
      ? undefined
      : served(flag, flag.offVariation);
  }
  const sameForEveryone =
    !hasPrerequisites &&
    (flag.variationToTargetMap ?? []).length === 0 &&
    (flag.rules ?? []).length === 0 &&
    !flag.defaultServe?.distribution;
  return sameForEveryone ? served(flag, flag.defaultServe?.variation ?? '') : undefined;
}

/** As `evaluateFlag` resolves an identifier: `""` serves nothing. */
function served(flag: FeatureConfig, identifier: string): { variation: Variation | undefined } {
  return { variation: identifier ? findVariation(flag, identifier) : undefined };
}
