import type { Evaluation } from '../model/evaluation.js';
import type { FeatureConfig, Variation } from '../model/feature-config.js';
import type { Target } from '../model/target.js';
import { type EvaluationContext, withSortedRules } from './evaluation-context.js';
import { evaluateFlag, findVariation } from './flag-evaluation.js';
import { prerequisitesSatisfied, type ServedCache, servedBy } from './prerequisites.js';

/** Outcome of evaluating one flag by name, so that an HTTP layer can answer 200, 404 or 500. */
export type EvaluateOneResult =
  | { readonly status: 'ok'; readonly evaluation: Evaluation }
  | { readonly status: 'unknown-flag' }
  | { readonly status: 'error' };

/**
 * The variation served to `target` (docs/evaluation.md), or `undefined` on an evaluation error.
 * Unmet prerequisites serve `offVariation` whatever the flag's state. `flag` need not come from
 * `ctx` (its rules are sorted if needed); its prerequisites and segments are looked up in `ctx`.
 */
export function evaluate(
  ctx: EvaluationContext,
  flag: FeatureConfig,
  target: Target | null,
): Variation | undefined {
  return evaluatePrepared(ctx, withSortedRules(flag), target);
}

/**
 * One `/evaluations` element per flag in the context, in input order. A flag that fails to
 * evaluate still gets an element, with `identifier` and `value` empty. `json` values are the raw
 * variation string, not JSON-encoded again as the Go proxy does.
 */
export function evaluateAll(ctx: EvaluationContext, target: Target | null): Evaluation[] {
  const evaluations: Evaluation[] = [];
  for (const flag of ctx.flags.values()) {
    evaluations.push(toEvaluation(flag, evaluatePrepared(ctx, flag, target)));
  }
  return evaluations;
}

/** The `/evaluations/{feature}` answer, telling an unknown flag apart from an evaluation error. */
export function evaluateOne(
  ctx: EvaluationContext,
  feature: string,
  target: Target | null,
): EvaluateOneResult {
  const flag = ctx.flags.get(feature);
  if (!flag) {
    return { status: 'unknown-flag' };
  }
  const variation = evaluatePrepared(ctx, flag, target);
  return variation
    ? { status: 'ok', evaluation: toEvaluation(flag, variation) }
    : { status: 'error' };
}

/**
 * The variation served to `target` by a flag of `ctx` (rules already sorted), prerequisites
 * included; `undefined` on an evaluation error. What {@link evaluateAll} does per flag. With
 * `served` (one per target), each flag is evaluated at most once across calls.
 */
export function evaluatePrepared(
  ctx: EvaluationContext,
  flag: FeatureConfig,
  target: Target | null,
  served?: ServedCache,
): Variation | undefined {
  if (!served) {
    return prerequisitesSatisfied(ctx, flag, target)
      ? evaluateFlag(ctx, flag, target)
      : findVariation(flag, flag.offVariation);
  }
  return prerequisitesSatisfied(ctx, flag, target, [], served)
    ? servedBy(ctx, flag, target, served)
    : findVariation(flag, flag.offVariation);
}

/** The `/evaluations` element for a flag and the variation it served (none: an error). */
export function toEvaluation(flag: FeatureConfig, variation: Variation | undefined): Evaluation {
  return {
    flag: flag.feature,
    identifier: variation?.identifier ?? '',
    kind: flag.kind,
    value: variation?.value ?? '',
  };
}
