import type { FlagSet } from '../cache/flag-set.js';
import type { SegmentSet } from '../cache/segment-set.js';
import {
  createEvaluationContext,
  type EvaluationContext,
} from '../evaluation/evaluation-context.js';
import { evaluateAll, evaluateOne, type EvaluateOneResult } from '../evaluation/evaluator.js';
import type { Evaluation } from '../model/evaluation.js';
import type { Target } from '../model/target.js';

/** Bounded per environment and version; a new config version starts a fresh one. */
const MAX_MEMOISED_TARGETS = 10_000;

export interface EvaluatorOptions {
  /** Emulate the Go proxy, which JSON-encodes json-kind values a second time. */
  doubleEncodeJson: boolean;
}

/**
 * Evaluations for one version of an environment (its flags and segments). The prepared context
 * is built once, and each target's response bytes are memoised until the version changes, so
 * a fleet of browsers asking for the same targets costs one evaluation each.
 */
export class EnvironmentEvaluator {
  private readonly context: EvaluationContext;
  private readonly memo = new Map<string, Buffer>();

  constructor(
    readonly flags: FlagSet,
    readonly segments: SegmentSet,
    private readonly options: EvaluatorOptions,
  ) {
    this.context = createEvaluationContext(flags.flags, segments.segments);
  }

  isFor(flags: FlagSet, segments: SegmentSet): boolean {
    return this.flags === flags && this.segments === segments;
  }

  /** The whole `/evaluations` body for a target; `key` identifies the target's content. */
  all(key: string, target: Target): Buffer {
    let body = this.memo.get(key);
    if (body) {
      // Refresh recency: Map iteration order makes the first key the least recently used.
      this.memo.delete(key);
    } else {
      const evaluations = evaluateAll(this.context, target).map((e) => this.encode(e));
      body = Buffer.from(`${JSON.stringify(evaluations)}\n`);
      if (this.memo.size >= MAX_MEMOISED_TARGETS) {
        this.memo.delete(this.memo.keys().next().value as string);
      }
    }
    this.memo.set(key, body);
    return body;
  }

  one(feature: string, target: Target): EvaluateOneResult {
    const result = evaluateOne(this.context, feature, target);
    return result.status === 'ok'
      ? { status: 'ok', evaluation: this.encode(result.evaluation) }
      : result;
  }

  private encode(evaluation: Evaluation): Evaluation {
    return this.options.doubleEncodeJson && evaluation.kind === 'json'
      ? { ...evaluation, value: JSON.stringify(evaluation.value) }
      : evaluation;
  }
}
