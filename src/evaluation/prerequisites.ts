import type { FeatureConfig } from '../model/feature-config.js';
import type { Target } from '../model/target.js';
import type { EvaluationContext } from './evaluation-context.js';
import type { Variation } from '../model/feature-config.js';
import { evaluateFlag } from './flag-evaluation.js';

/**
 * `evaluateFlag` results for one target, by feature: a flag that is the prerequisite of several
 * others (or evaluated itself too) is evaluated once per target. Only ever for one target.
 */
export type ServedCache = Map<string, Variation | undefined>;

/** `evaluateFlag`, remembered in `served` for the rest of this target's evaluation. */
export function servedBy(
  ctx: EvaluationContext,
  flag: FeatureConfig,
  target: Target | null,
  served: ServedCache,
): Variation | undefined {
  if (served.has(flag.feature)) {
    return served.get(flag.feature);
  }
  const variation = evaluateFlag(ctx, flag, target);
  served.set(flag.feature, variation);
  return variation;
}

/**
 * Whether the flag's prerequisites hold for the target (Go `checkPreRequisite`,
 * docs/evaluation.md). Go quirks kept on purpose: a missing prerequisite flag, or one that fails to
 * evaluate, satisfies the whole list at once. Each prerequisite's value comes from `evaluateFlag`,
 * so its own prerequisites are only checked by the recursion. `visiting` holds the flags whose
 * prerequisites are being checked further up the stack; meeting one again is a cycle, which Go
 * would overflow on, and counts as not satisfied.
 */
export function prerequisitesSatisfied(
  ctx: EvaluationContext,
  flag: FeatureConfig,
  target: Target | null,
  visiting: readonly string[] = [],
  served: ServedCache = new Map(),
): boolean {
  const prerequisites = flag.prerequisites;
  if (!prerequisites || prerequisites.length === 0) {
    return true;
  }
  if (visiting.includes(flag.feature)) {
    return false;
  }
  const path = [...visiting, flag.feature];
  for (const { feature, variations } of prerequisites) {
    const prerequisite = ctx.flags.get(feature);
    if (!prerequisite) {
      return true;
    }
    const variation = servedBy(ctx, prerequisite, target, served);
    if (!variation) {
      return true;
    }
    if (!variations?.includes(variation.identifier)) {
      return false;
    }
    if (!prerequisitesSatisfied(ctx, prerequisite, target, path, served)) {
      return false;
    }
  }
  return true;
}
