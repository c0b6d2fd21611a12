import type { FeatureConfig } from '../model/feature-config.js';
import type { Segment } from '../model/segment.js';
import { createOperatorPatterns, type OperatorPatterns } from './operators.js';

/**
 * Everything the evaluator needs for one environment at one config version. Build it once per
 * version with {@link createEvaluationContext} and share it across requests.
 */
export interface EvaluationContext {
  /** By `feature`, in input order; each flag's `rules` sorted by priority. */
  readonly flags: ReadonlyMap<string, FeatureConfig>;
  /** By `identifier`; each segment's `servingRules` sorted by priority. */
  readonly segments: ReadonlyMap<string, Segment>;
  readonly patterns: OperatorPatterns;
}

/**
 * Prepares flags and segments as the Go SDK does when storing them (docs/evaluation.md).
 * Inputs are never mutated: an object whose rules need reordering is replaced by a shallow copy.
 * When an identifier repeats, the last object wins, as in a keyed store.
 */
export function createEvaluationContext(
  flags: readonly FeatureConfig[],
  segments: readonly Segment[],
): EvaluationContext {
  const flagMap = new Map<string, FeatureConfig>();
  for (const flag of flags) {
    flagMap.set(flag.feature, withSortedRules(flag));
  }
  const segmentMap = new Map<string, Segment>();
  for (const segment of segments) {
    segmentMap.set(segment.identifier, withSortedServingRules(segment));
  }
  return { flags: flagMap, segments: segmentMap, patterns: createOperatorPatterns() };
}

/** The flag itself when its rules are already in priority order, else a copy with sorted rules. */
export function withSortedRules(flag: FeatureConfig): FeatureConfig {
  const rules = flag.rules;
  return rules && !isSortedByPriority(rules) ? { ...flag, rules: sortByPriority(rules) } : flag;
}

function withSortedServingRules(segment: Segment): Segment {
  const rules = segment.servingRules;
  return rules && !isSortedByPriority(rules)
    ? { ...segment, servingRules: sortByPriority(rules) }
    : segment;
}

interface Prioritised {
  priority: number;
}

function isSortedByPriority(items: readonly Prioritised[]): boolean {
  for (let i = 1; i < items.length; i++) {
    if (priorityOf(items[i]) < priorityOf(items[i - 1])) {
      return false;
    }
  }
  return true;
}

/** Stable (Array#sort is stable), so equal priorities keep their array order, as in Go. */
function sortByPriority<T extends Prioritised>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => priorityOf(a) - priorityOf(b));
}

// A missing priority decodes to 0 in Go; NaN would make the comparator inconsistent.
function priorityOf(item: Prioritised | undefined): number {
  const priority = item?.priority;
  return typeof priority === 'number' && !Number.isNaN(priority) ? priority : 0;
}
