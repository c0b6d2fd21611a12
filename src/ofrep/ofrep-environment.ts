import { sha256Hex } from '../cache/cache-keys.js';
import type { FlagSet } from '../cache/flag-set.js';
import type { SegmentSet } from '../cache/segment-set.js';
import {
  createEvaluationContext,
  type EvaluationContext,
} from '../evaluation/evaluation-context.js';
import { evaluatePrepared } from '../evaluation/evaluator.js';
import type { ServedCache } from '../evaluation/prerequisites.js';
import { dependsOnTarget, servedReason } from '../evaluation/served-reason.js';
import type { FeatureConfig } from '../model/feature-config.js';
import type { Target } from '../model/target.js';
import { answerOf, type OfrepAnswer } from './ofrep-answers.js';

/** Identifies an environment's content (flags and segments) the same way on every instance. */
export function configEtagOf(flags: FlagSet, segments: SegmentSet): string {
  return sha256Hex(`${flags.version}\n${segments.version}`).slice(0, 32);
}

/**
 * OFREP answers for one version of an environment. The variation always comes from
 * `evaluatePrepared`, the function the Harness `/evaluations` route serves from, so both routes
 * make the same decisions; the reason is worked out beside it.
 */
export class OfrepEnvironment {
  private readonly context: EvaluationContext;
  /** The same on every instance holding this version: the event stream's `etag`. */
  readonly configEtag: string;

  constructor(
    readonly flags: FlagSet,
    readonly segments: SegmentSet,
    andRules: boolean,
  ) {
    this.context = createEvaluationContext(
      flags.flags,
      andRules ? segments.segments : segments.legacySegments,
    );
    this.configEtag = configEtagOf(flags, segments);
  }

  isFor(flags: FlagSet, segments: SegmentSet): boolean {
    return this.flags === flags && this.segments === segments;
  }

  /** One flag's answer; undefined when the environment has no such flag. */
  one(key: string, target: Target | null): OfrepAnswer | undefined {
    const flag = this.context.flags.get(key);
    return flag && this.answer(flag, target, new Map());
  }

  /** Every flag's answer, in the environment's order. */
  all(target: Target | null): OfrepAnswer[] {
    // Shared across flags, as `/evaluations` does: each prerequisite is evaluated once.
    const served: ServedCache = new Map();
    const answers: OfrepAnswer[] = [];
    for (const flag of this.context.flags.values()) {
      answers.push(this.answer(flag, target, served));
    }
    return answers;
  }

  private answer(flag: FeatureConfig, target: Target | null, served: ServedCache): OfrepAnswer {
    if (!target && dependsOnTarget(flag)) {
      return {
        key: flag.feature,
        errorCode: 'TARGETING_KEY_MISSING',
        errorDetails: `flag ${flag.feature} is targeted: the context needs a targetingKey`,
      };
    }
    const variation = evaluatePrepared(this.context, flag, target, served);
    return answerOf(flag, variation, servedReason(this.context, flag, target));
  }
}
