import { allClausesMatch, inAnySegment } from '../../../src/evaluation/clause.js';
import type { EvaluationContext } from '../../../src/evaluation/evaluation-context.js';
import { prerequisitesSatisfied } from '../../../src/evaluation/prerequisites.js';
import type { FeatureConfig } from '../../../src/model/feature-config.js';
import type { Target } from '../../../src/model/target.js';

/** Which part of a flag decided the answer, to show that the generator exercises all of them. */
export const DECISION_PATHS = [
  'prerequisite failed',
  'off',
  'target map',
  'target map via segment',
  'rule',
  'rule via segmentMatch',
  'default serve',
] as const;

export type DecisionPath = (typeof DECISION_PATHS)[number];

interface Decision {
  readonly path: DecisionPath;
  /** Served by a percentage rollout (a rule's or the default serve's distribution). */
  readonly rollout: boolean;
}

/** Classifies one case with the evaluator's own building blocks (for statistics only). */
export function decide(ctx: EvaluationContext, flag: FeatureConfig, target: Target): Decision {
  if (!prerequisitesSatisfied(ctx, flag, target)) {
    return { path: 'prerequisite failed', rollout: false };
  }
  if (flag.state !== 'on') {
    return { path: 'off', rollout: false };
  }
  for (const entry of flag.variationToTargetMap ?? []) {
    if (entry.targets?.some((ref) => ref.identifier === target.identifier)) {
      return { path: 'target map', rollout: false };
    }
    if (entry.targetSegments && inAnySegment(ctx, entry.targetSegments, target)) {
      return { path: 'target map via segment', rollout: false };
    }
  }
  const rule = flag.rules?.find((r) => allClausesMatch(ctx, r.clauses, target));
  if (rule) {
    const viaSegment = rule.clauses.some((clause) => clause.op === 'segmentMatch');
    return {
      path: viaSegment ? 'rule via segmentMatch' : 'rule',
      rollout: !!rule.serve.distribution,
    };
  }
  return { path: 'default serve', rollout: !!flag.defaultServe.distribution };
}

/** Counts decisions and prints them as shares of all compared cases. */
export class DecisionStats {
  private readonly paths = new Map<DecisionPath, number>();
  private rollouts = 0;
  cases = 0;

  record(decision: Decision): void {
    this.cases++;
    this.paths.set(decision.path, (this.paths.get(decision.path) ?? 0) + 1);
    this.rollouts += decision.rollout ? 1 : 0;
  }

  share(path: DecisionPath): number {
    return this.cases === 0 ? 0 : (this.paths.get(path) ?? 0) / this.cases;
  }

  summary(): string {
    const percent = (n: number): string => `${((100 * n) / Math.max(this.cases, 1)).toFixed(1)}%`;
    const parts = DECISION_PATHS.map((path) => `${path} ${percent(this.paths.get(path) ?? 0)}`);
    return `${this.cases} cases: ${parts.join(', ')}; served by a rollout ${percent(this.rollouts)}`;
  }
}
