import type { FeatureConfig } from '../model/feature-config.js';
import type { Target } from '../model/target.js';
import { distributionVariation } from './distribution.js';
import type { EvaluationContext } from './evaluation-context.js';
import { matchedRule, targetMapVariation } from './flag-evaluation.js';
import { prerequisitesSatisfied } from './prerequisites.js';

/** Why a flag served what it served, in OpenFeature's reason codes. */
export type ServedReason = 'DISABLED' | 'TARGETING_MATCH' | 'SPLIT' | 'DEFAULT' | 'STATIC';

/**
 * Whether the flag can serve targets differently: on, with prerequisites, a target map, rules or
 * a percentage rollout. A flag that is off, or on with a plain default, serves everyone alike.
 */
export function dependsOnTarget(flag: FeatureConfig): boolean {
  return flag.state === 'on' && hasTargeting(flag);
}

/**
 * The reason for what the evaluator served, found by walking the same steps in the same order
 * (`evaluatePrepared`, then `evaluateFlag`). It never decides the variation itself, so a reason
 * can never change an answer. Unmet prerequisites serve the off variation because of the target's
 * other flags: a targeting decision, hence `TARGETING_MATCH`.
 */
export function servedReason(
  ctx: EvaluationContext,
  flag: FeatureConfig,
  target: Target | null,
): ServedReason {
  if (flag.state !== 'on') {
    return 'DISABLED';
  }
  if (!prerequisitesSatisfied(ctx, flag, target)) {
    return 'TARGETING_MATCH';
  }
  if (targetMapVariation(ctx, flag, target)) {
    return 'TARGETING_MATCH';
  }
  const serve = matchedRule(ctx, flag, target)?.serve;
  if (serve?.distribution) {
    // A rollout that served nothing falls through to the default serve, as in the evaluator.
    if (distributionVariation(serve.distribution, target)) {
      return 'SPLIT';
    }
  } else if (serve?.variation) {
    return 'TARGETING_MATCH';
  }
  if (distributionVariation(flag.defaultServe?.distribution, target)) {
    return 'SPLIT';
  }
  return hasTargeting(flag) ? 'DEFAULT' : 'STATIC';
}

function hasTargeting(flag: FeatureConfig): boolean {
  return (
    (flag.prerequisites?.length ?? 0) > 0 ||
    (flag.variationToTargetMap?.length ?? 0) > 0 ||
    (flag.rules?.length ?? 0) > 0 ||
    (flag.defaultServe?.distribution?.variations?.length ?? 0) > 0
  );
}
