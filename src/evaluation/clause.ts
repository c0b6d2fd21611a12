import type { Clause } from '../model/feature-config.js';
import type { Segment } from '../model/segment.js';
import type { Target } from '../model/target.js';
import { attributeValue } from './attribute.js';
import type { EvaluationContext } from './evaluation-context.js';
import { OPERATORS, operatorMatches } from './operators.js';

// Clauses and segment membership live together because they recurse into each other
// (a segment rule may be a `segmentMatch` clause).

/**
 * Whether one clause matches (docs/evaluation.md). `negate` is ignored, as in both SDKs.
 * `visiting` holds the segments whose rules are being evaluated further up the stack.
 */
export function clauseMatches(
  ctx: EvaluationContext,
  clause: Clause,
  target: Target | null,
  visiting?: string[],
): boolean {
  const values = clause.values;
  if (!clause.op || !values || values.length === 0) {
    return false;
  }
  if (clause.op === OPERATORS.segmentMatch) {
    return inAnySegment(ctx, values, target, visiting ?? []);
  }
  const attribute = attributeValue(target, clause.attribute);
  return attribute !== '' && operatorMatches(clause.op, attribute, values, ctx.patterns);
}

/** AND of the clauses; an empty list matches (Go flag-rule semantics). */
export function allClausesMatch(
  ctx: EvaluationContext,
  clauses: readonly Clause[] | undefined,
  target: Target | null,
  visiting?: string[],
): boolean {
  for (const clause of clauses ?? []) {
    if (!clauseMatches(ctx, clause, target, visiting)) {
      return false;
    }
  }
  return true;
}

/**
 * Segment membership over a list of segment ids (docs/evaluation.md). A missing segment is skipped
 * (Go proxy and Node; the bare Go SDK fails the whole check). A segment reached again through its
 * own `segmentMatch` rules is a cycle and counts as not matching.
 */
export function inAnySegment(
  ctx: EvaluationContext,
  segmentIds: readonly string[],
  target: Target | null,
  visiting: string[] = [],
): boolean {
  for (const id of segmentIds) {
    const segment = ctx.segments.get(id);
    if (!segment || visiting.includes(id)) {
      continue;
    }
    // An exclusion ends the whole check, even if a later segment would include the target.
    if (inTargetList(segment.excluded, target)) {
      return false;
    }
    if (inTargetList(segment.included, target) || rulesInclude(ctx, segment, target, visiting)) {
      return true;
    }
  }
  return false;
}

function inTargetList(list: readonly Target[] | undefined, target: Target | null): boolean {
  if (!list || !target) {
    return false;
  }
  for (const entry of list) {
    if (entry.identifier === target.identifier) {
      return true;
    }
  }
  return false;
}

function rulesInclude(
  ctx: EvaluationContext,
  segment: Segment,
  target: Target | null,
  visiting: string[],
): boolean {
  visiting.push(segment.identifier);
  try {
    const servingRules = segment.servingRules;
    // v2 serving rules replace the legacy rules entirely when present.
    if (servingRules && servingRules.length > 0) {
      return servingRules.some(
        (rule) => rule.clauses?.length > 0 && allClausesMatch(ctx, rule.clauses, target, visiting),
      );
    }
    // Legacy rules are single clauses, OR-ed.
    return (segment.rules ?? []).some((clause) => clauseMatches(ctx, clause, target, visiting));
  } finally {
    visiting.pop();
  }
}
