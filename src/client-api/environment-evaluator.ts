import { sha256Hex } from '../cache/cache-keys.js';
import type { FlagSet } from '../cache/flag-set.js';
import type { SegmentSet } from '../cache/segment-set.js';
import {
  createEvaluationContext,
  type EvaluationContext,
} from '../evaluation/evaluation-context.js';
import { evaluateOne, type EvaluateOneResult } from '../evaluation/evaluator.js';
import type { Evaluation } from '../model/evaluation.js';
import type { Target } from '../model/target.js';
import { EvaluationsPlan } from './evaluations-plan.js';

/**
 * Bounded per environment and version, by count and by bytes (keys included: a target header
 * may be hundreds of kB); a new config version starts a fresh memo.
 */
const MAX_MEMOISED_TARGETS = 10_000;
const MAX_MEMOISED_BYTES = 32 * 1024 * 1024;
/** Longer target keys are memoised under their hash. */
const MAX_KEY_LENGTH = 256;

export interface EvaluatorOptions {
  /** Emulate the Go proxy, which JSON-encodes json-kind values a second time. */
  doubleEncodeJson: boolean;
  /** `AND_RULES`: evaluate segments' v2 `servingRules`; off, only their legacy `rules`. */
  andRules: boolean;
}

/**
 * Evaluations for one version of an environment (its flags and segments). The prepared context
 * is built once, and the response bytes of each target asked more than once are memoised until
 * the version changes, so a fleet of browsers asking for the same targets costs two
 * evaluations each.
 */
export class EnvironmentEvaluator {
  private readonly context: EvaluationContext;
  private readonly plan: EvaluationsPlan;
  private readonly memo = new Map<string, Buffer>();
  private memoBytes = 0;
  /**
   * Keys evaluated once and not memoised: most targets of a fleet of new visitors are never
   * seen again, and keeping each answer (then evicting it) costs more than it saves. A key's
   * second request memoises its answer. Two generations, each up to half the bound: when the
   * newer fills up the older is dropped whole, so noting a key never walks a set (evicting
   * one key at a time from a full Set scans its deleted slots, ~5 µs a request at 10,000).
   */
  private seenNow = new Set<string>();
  private seenBefore = new Set<string>();

  constructor(
    readonly flags: FlagSet,
    readonly segments: SegmentSet,
    private readonly options: EvaluatorOptions,
  ) {
    this.context = createEvaluationContext(
      flags.flags,
      options.andRules ? segments.segments : segments.legacySegments,
    );
    this.plan = new EvaluationsPlan(this.context, (evaluation) => this.encode(evaluation));
  }

  /** How many targets' answers are memoised, and their size in bytes (keys included). */
  get memoised(): { targets: number; bytes: number } {
    return { targets: this.memo.size, bytes: this.memoBytes };
  }

  isFor(flags: FlagSet, segments: SegmentSet): boolean {
    return this.flags === flags && this.segments === segments;
  }

  /** The memo key of a target's content (long contents are hashed): compute it once per request. */
  keyOf(content: string): string {
    return content.length > MAX_KEY_LENGTH ? sha256Hex(content) : content;
  }

  /** The whole `/evaluations` body for a target; `key` is its content's {@link keyOf}. */
  all(key: string, target: Target): Buffer {
    const known = this.lookup(key);
    if (known) {
      return known;
    }
    const body = this.plan.body(target);
    if (this.seenNow.delete(key) || this.seenBefore.delete(key)) {
      this.remember(key, body);
    } else {
      if (this.seenNow.size >= MAX_MEMOISED_TARGETS / 2) {
        this.seenBefore = this.seenNow;
        this.seenNow = new Set();
      }
      this.seenNow.add(key);
    }
    return body;
  }

  /** The body already evaluated for the target content with this key, if any. */
  lookup(key: string): Buffer | undefined {
    const body = this.memo.get(key);
    if (body) {
      // Refresh recency: Map iteration order makes the first key the least recently used.
      this.memo.delete(key);
      this.memo.set(key, body);
    }
    return body;
  }

  one(feature: string, target: Target): EvaluateOneResult {
    const result = evaluateOne(this.context, feature, target);
    return result.status === 'ok'
      ? { status: 'ok', evaluation: this.encode(result.evaluation) }
      : result;
  }

  private remember(key: string, body: Buffer): void {
    this.memo.set(key, body);
    this.memoBytes += key.length + body.length;
    while (this.memo.size > MAX_MEMOISED_TARGETS || this.memoBytes > MAX_MEMOISED_BYTES) {
      const [oldKey, oldBody] = this.memo.entries().next().value as [string, Buffer];
      this.memo.delete(oldKey);
      this.memoBytes -= oldKey.length + oldBody.length;
    }
  }

  private encode(evaluation: Evaluation): Evaluation {
    return this.options.doubleEncodeJson && evaluation.kind === 'json'
      ? { ...evaluation, value: JSON.stringify(evaluation.value) }
      : evaluation;
  }
}
