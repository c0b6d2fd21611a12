import * as fc from 'fast-check';
import {
  ATTRIBUTE_OPERATORS,
  BUCKET_BY,
  CLAUSE_ATTRIBUTES,
  IDENTIFIERS,
  KINDS,
  NAMES,
  TARGET_ATTRIBUTES,
} from './pools.js';

/**
 * The generated shape before it becomes flags and segments. Cross-references (segments, flags,
 * variations, pool values) are plain indices resolved when building, so that fast-check can shrink
 * each part independently and every shrunk value is still a valid environment.
 */
export type RawClause =
  | { readonly attribute: string; readonly op: string; readonly values: readonly number[] }
  | { readonly segments: readonly number[] };

export type RawServe =
  | { readonly variation: number }
  | {
      readonly bucketBy: string;
      readonly picks: readonly number[];
      readonly cuts: readonly number[];
    };

export interface RawRule {
  readonly priority: number;
  readonly clause: RawClause;
  readonly serve: RawServe;
}

export interface RawTargetMapEntry {
  readonly variation: number;
  readonly targets?: readonly number[];
  readonly segments?: readonly number[];
}

export interface RawPrerequisite {
  readonly flag: number;
  readonly variations: readonly number[];
}

export interface RawFlag {
  readonly kind: number;
  readonly on: boolean;
  /** Its off variation does not exist: evaluating it may fail, so it is never a prerequisite. */
  readonly broken: boolean;
  readonly offVariation: number;
  readonly defaultServe: RawServe;
  readonly rules: readonly RawRule[];
  readonly targetMap: readonly RawTargetMapEntry[];
  readonly prerequisites: readonly RawPrerequisite[];
}

export interface RawSegment {
  readonly included: readonly number[];
  readonly excluded: readonly number[];
  readonly rules?: readonly RawClause[];
  readonly servingRules?: readonly (readonly RawClause[])[];
}

export interface RawEnvironment {
  readonly segments: readonly RawSegment[];
  readonly flags: readonly RawFlag[];
}

/**
 * An array whose shrinker can drop any element, not only leading ones: each element may shrink to
 * "absent". Plain `fc.array` often keeps trailing elements that play no part in a failure.
 */
export function droppableArray<T>(
  arb: fc.Arbitrary<T>,
  constraints: { minLength?: number; maxLength: number },
): fc.Arbitrary<T[]> {
  return fc
    .array(fc.option(arb, { nil: undefined, freq: 8 }), constraints)
    .map((items) => items.filter((item): item is T => item !== undefined));
}

const index = fc.nat({ max: 20 });
const indices = (minLength: number, maxLength: number): fc.Arbitrary<number[]> =>
  fc.array(index, { minLength, maxLength });

const clauseArb: fc.Arbitrary<RawClause> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      attribute: fc.constantFrom(...CLAUSE_ATTRIBUTES),
      op: fc.constantFrom(...ATTRIBUTE_OPERATORS),
      values: droppableArray(index, { minLength: 1, maxLength: 3 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ segments: indices(1, 2) }) },
);

const serveArb: fc.Arbitrary<RawServe> = fc.oneof(
  fc.record({ variation: index }),
  fc.record({
    bucketBy: fc.constantFrom(...BUCKET_BY),
    picks: indices(1, 3),
    cuts: fc.array(fc.integer({ min: 0, max: 100 }), { maxLength: 2 }),
  }),
);

const ruleArb: fc.Arbitrary<RawRule> = fc.record({
  priority: fc.integer({ min: 0, max: 100 }),
  clause: clauseArb,
  serve: serveArb,
});

const targetMapEntryArb: fc.Arbitrary<RawTargetMapEntry> = fc.record(
  {
    variation: index,
    targets: fc.array(fc.nat({ max: IDENTIFIERS.length - 1 }), { maxLength: 2 }),
    segments: indices(0, 2),
  },
  { requiredKeys: ['variation'] },
);

const flagArb: fc.Arbitrary<RawFlag> = fc.record({
  kind: fc.nat({ max: KINDS.length - 1 }),
  on: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, fc.constant(false)),
  broken: fc.oneof(
    { weight: 9, arbitrary: fc.constant(false) },
    { weight: 1, arbitrary: fc.constant(true) },
  ),
  offVariation: index,
  defaultServe: serveArb,
  rules: droppableArray(ruleArb, { maxLength: 4 }),
  targetMap: fc.array(targetMapEntryArb, { maxLength: 3 }),
  // Mostly none: each unmet prerequisite hides the rest of the flag behind its off variation.
  prerequisites: fc.oneof(
    { weight: 2, arbitrary: fc.constant([]) },
    fc.array(fc.record({ flag: index, variations: indices(0, 3) }), { minLength: 1, maxLength: 2 }),
  ),
});

const segmentArb: fc.Arbitrary<RawSegment> = fc.record(
  {
    included: fc.array(fc.nat({ max: IDENTIFIERS.length - 1 }), { maxLength: 2 }),
    excluded: fc.array(fc.nat({ max: IDENTIFIERS.length - 1 }), { maxLength: 1 }),
    rules: fc.array(clauseArb, { maxLength: 2 }),
    servingRules: fc.array(fc.array(clauseArb, { minLength: 1, maxLength: 2 }), { maxLength: 2 }),
  },
  { requiredKeys: ['included', 'excluded'] },
);

/** One environment: at least one segment (so every segment reference resolves) and 1–8 flags. */
export const rawEnvironmentArb: fc.Arbitrary<RawEnvironment> = fc.record({
  segments: fc.array(segmentArb, { minLength: 1, maxLength: 4 }),
  flags: droppableArray(flagArb, { minLength: 1, maxLength: 8 }),
});

const targetAttributesArb = fc.record(
  Object.fromEntries(
    Object.entries(TARGET_ATTRIBUTES).map(([name, values]) => [name, fc.constantFrom(...values)]),
  ),
  { requiredKeys: [] },
) as fc.Arbitrary<Record<string, string>>;

/** A target as both evaluators accept it: non-empty identifier and name, string attributes. */
export interface DifferentialTarget {
  identifier: string;
  name: string;
  attributes: Record<string, string>;
}

export const targetArb: fc.Arbitrary<DifferentialTarget> = fc.record({
  identifier: fc.constantFrom(...IDENTIFIERS),
  name: fc.constantFrom(...NAMES),
  attributes: targetAttributesArb,
});
