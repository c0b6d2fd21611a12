import type { FeatureConfig, Variation } from '../model/feature-config.js';
import type { Target } from '../model/target.js';
import { allClausesMatch, inAnySegment } from './clause.js';
import { distributionVariation } from './distribution.js';
import type { EvaluationContext } from './evaluation-context.js';

/**
 * A flag's own variation for the target, ignoring its prerequisites (Go `evaluateFlag`,
 * docs/evaluation.md). `undefined` is an evaluation error: nothing served, or an unknown
 * variation identifier. Expects `flag.rules` in priority order (see the context).
 */
export function evaluateFlag(
  ctx: EvaluationContext,
  flag: FeatureConfig,
  target: Target | null,
): Variation | undefined {
  // Any state other than exactly "on" evaluates as off.
  const identifier = flag.state === 'on' ? onVariation(ctx, flag, target) : flag.offVariation;
  return identifier ? findVariation(flag, identifier) : undefined;
}

/** The first variation with this identifier (even `""`, as Go's lookup does). */
export function findVariation(flag: FeatureConfig, identifier: string): Variation | undefined {
  for (const variation of flag.variations ?? []) {
    if (variation.identifier === identifier) {
      return variation;
    }
  }
  return undefined;
}

function onVariation(ctx: EvaluationContext, flag: FeatureConfig, target: Target | null): string {
  return (
    targetMapVariation(ctx, flag, target) ||
    rulesVariation(ctx, flag, target) ||
    distributionVariation(flag.defaultServe?.distribution, target) ||
    (flag.defaultServe?.variation ?? '')
  );
}

function targetMapVariation(
  ctx: EvaluationContext,
  flag: FeatureConfig,
  target: Target | null,
): string {
  if (!target) {
    return '';
  }
  for (const entry of flag.variationToTargetMap ?? []) {
    // An empty identifier never matches, not even a target whose identifier is also empty.
    const listed = entry.targets?.some(
      (ref) => ref.identifier !== '' && ref.identifier === target.identifier,
    );
    if (listed || (entry.targetSegments && inAnySegment(ctx, entry.targetSegments, target))) {
      return entry.variation;
    }
  }
  return '';
}

function rulesVariation(
  ctx: EvaluationContext,
  flag: FeatureConfig,
  target: Target | null,
): string {
  if (!target) {
    return '';
  }
  for (const rule of flag.rules ?? []) {
    if (!allClausesMatch(ctx, rule.clauses, target)) {
      continue;
    }
    const serve = rule.serve;
    // A matched distribution is final even when it serves "": later rules are not tried.
    if (serve?.distribution) {
      return distributionVariation(serve.distribution, target);
    }
    if (typeof serve?.variation === 'string') {
      return serve.variation;
    }
    // A matched rule that serves nothing is skipped.
  }
  return '';
}
