import type { EvaluationContext } from '../evaluation/evaluation-context.js';
import { evaluatePrepared, toEvaluation } from '../evaluation/evaluator.js';
import { evaluateFlag, findVariation } from '../evaluation/flag-evaluation.js';
import type { ServedCache } from '../evaluation/prerequisites.js';
import type { Evaluation } from '../model/evaluation.js';
import type { FeatureConfig, Variation } from '../model/feature-config.js';
import type { Target } from '../model/target.js';

/** A flag that must be evaluated per target; each possible answer is already JSON bytes. */
interface DynamicFlag {
  readonly flag: FeatureConfig;
  /**
   * By the variation object the evaluator returns (one of the flag's own): a lookup by identity,
   * not by hashing its identifier. Variations sharing an identifier share the first one's bytes.
   */
  readonly byVariation: ReadonlyMap<Variation, Buffer>;
  /** The element of an evaluation error: `identifier` and `value` empty. */
  readonly failed: Buffer;
  /**
   * It has prerequisites or is one: evaluated through the per-target cache. Any other flag is
   * evaluated once per target anyway, so it skips the cache.
   */
  readonly shared: boolean;
}

/** The body in order: bytes the same for every target (runs of them joined), and flags to evaluate. */
type Segment = Buffer | DynamicFlag;

/**
 * The `/evaluations` body of one environment version, prepared so that a new target costs only
 * the evaluation of the flags that depend on it: no JSON serialisation or UTF-8 encoding at
 * request time (every element a flag can produce is encoded to bytes once; a body is a copy of
 * those bytes) and no evaluation at all for flags that serve the same variation to everyone (off,
 * or on with nothing but a fixed default). Consecutive fixed elements, their commas and the
 * brackets are one buffer, so a body is a handful of copies. The body is byte for byte
 * `JSON.stringify(evaluateAll(...).map(encode))` plus a newline (tested against it).
 */
export class EvaluationsPlan {
  private readonly segments: Segment[] = [];
  /** The bytes of the fixed segments together. */
  private readonly fixedLength: number;
  readonly dynamicFlags: number;

  constructor(
    private readonly context: EvaluationContext,
    encode: (evaluation: Evaluation) => Evaluation,
  ) {
    const json = (flag: FeatureConfig, variation: Variation | undefined): Buffer =>
      Buffer.from(JSON.stringify(encode(toEvaluation(flag, variation))));
    const prerequisites = new Set(
      [...context.flags.values()].flatMap((flag) =>
        (flag.prerequisites ?? []).map((p) => p.feature),
      ),
    );
    let fixed = '[';
    const pending: Buffer[] = [];
    const flush = (): void => {
      pending.push(Buffer.from(fixed));
      this.segments.push(Buffer.concat(pending));
      pending.length = 0;
      fixed = '';
    };
    let index = 0;
    for (const flag of context.flags.values()) {
      const comma = index++ > 0 ? ',' : '';
      const answer = fixedAnswer(flag);
      if (answer) {
        pending.push(Buffer.from(`${fixed}${comma}`), json(flag, answer.variation));
        fixed = '';
        continue;
      }
      fixed += comma;
      flush();
      const byIdentifier = new Map<string, Buffer>();
      const byVariation = new Map<Variation, Buffer>();
      for (const variation of flag.variations ?? []) {
        let bytes = byIdentifier.get(variation.identifier);
        if (bytes === undefined) {
          bytes = json(flag, variation);
          byIdentifier.set(variation.identifier, bytes);
        }
        byVariation.set(variation, bytes);
      }
      const shared = (flag.prerequisites ?? []).length > 0 || prerequisites.has(flag.feature);
      this.segments.push({ flag, byVariation, failed: json(flag, undefined), shared });
    }
    fixed += ']\n';
    flush();
    this.fixedLength = this.segments.reduce((sum, s) => sum + (isFixed(s) ? s.length : 0), 0);
    this.dynamicFlags = this.segments.length - this.segments.filter(isFixed).length;
  }

  body(target: Target | null): Buffer {
    const parts: Buffer[] = [];
    let length = this.fixedLength;
    // A prerequisite shared by several flags (or evaluated itself too) is evaluated once.
    let evaluated: ServedCache | undefined;
    for (const segment of this.segments) {
      if (isFixed(segment)) {
        parts.push(segment);
        continue;
      }
      const { flag, byVariation, failed, shared } = segment;
      const variation = shared
        ? evaluatePrepared(this.context, flag, target, (evaluated ??= new Map()))
        : evaluateFlag(this.context, flag, target);
      const part = (variation && byVariation.get(variation)) ?? failed;
      parts.push(part);
      length += part.length;
    }
    return Buffer.concat(parts, length);
  }
}

const isFixed = (segment: Segment): segment is Buffer => Buffer.isBuffer(segment);

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
