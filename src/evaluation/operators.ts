import { RE2JS } from 're2js';
import { compareGoStrings } from './go-compat.js';
import { RegExpCache } from './regexp-cache.js';

/** Clause operators as the Go evaluator spells them (exact, case-sensitive). */
export const OPERATORS = {
  equal: 'equal',
  equalSensitive: 'equal_sensitive',
  in: 'in',
  startsWith: 'starts_with',
  endsWith: 'ends_with',
  contains: 'contains',
  gt: 'gt',
  match: 'match',
  segmentMatch: 'segmentMatch',
} as const;

/** Compiled patterns for `match` and for the non-ASCII path of `equal`, one set per context. */
export interface OperatorPatterns {
  readonly match: RegExpCache<RE2JS>;
  readonly fold: RegExpCache<RegExp>;
}

export function createOperatorPatterns(): OperatorPatterns {
  return { match: new RegExpCache(compileGoPattern), fold: new RegExpCache(compileFoldPattern) };
}

/**
 * Whether the string operator `op` holds for the attribute string `attribute` (docs/evaluation.md,
 * "Clauses"). `segmentMatch` is not handled here; unknown operators are false. `values` is
 * non-empty.
 */
export function operatorMatches(
  op: string,
  attribute: string,
  values: readonly string[],
  patterns: OperatorPatterns,
): boolean {
  const value = values[0] ?? '';
  switch (op) {
    case OPERATORS.equal:
      return equalFold(attribute, value, patterns.fold);
    case OPERATORS.equalSensitive:
      return attribute === value;
    case OPERATORS.in:
      return values.includes(attribute);
    case OPERATORS.startsWith:
      return attribute.startsWith(value);
    case OPERATORS.endsWith:
      return attribute.endsWith(value);
    case OPERATORS.contains:
      return attribute.includes(value);
    case OPERATORS.gt:
      return compareGoStrings(attribute, value) > 0;
    case OPERATORS.match:
      return patterns.match.get(value)?.test(attribute) ?? false;
    default:
      return false;
  }
}

const NON_ASCII = /[\u0080-\uffff]/;
const REGEXP_SYNTAX = /[\\^$.*+?()[\]{}|/]/g;

/**
 * Go's `strings.EqualFold` (Unicode simple case folding). For ASCII that is a lower-case
 * comparison; otherwise a `u`+`i` RegExp, whose canonicalisation is simple case folding too.
 */
function equalFold(a: string, b: string, fold: RegExpCache<RegExp>): boolean {
  if (a === b) {
    return true;
  }
  if (!NON_ASCII.test(a) && !NON_ASCII.test(b)) {
    return a.length === b.length && a.toLowerCase() === b.toLowerCase();
  }
  return fold.get(b)?.test(a) ?? false;
}

// An escaped literal cannot backtrack, so the JS engine is safe here.
function compileFoldPattern(value: string): RegExp | null {
  try {
    return new RegExp(`^(?:${value.replace(REGEXP_SYNTAX, '\\$&')})$`, 'iu');
  } catch {
    return null;
  }
}

/**
 * A Go `regexp.Compile` equivalent: RE2 syntax (`\z`, `(?P<name>…)`, inline flags), linear-time
 * matching, so a crafted attribute cannot stall the event loop. `null` (never matches) when RE2
 * rejects the pattern, e.g. a backreference, exactly where Go's `regexp.MatchString` fails.
 */
function compileGoPattern(pattern: string): RE2JS | null {
  try {
    return RE2JS.compile(pattern);
  } catch {
    return null;
  }
}
