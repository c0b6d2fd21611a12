import type {
  Clause,
  FeatureConfig,
  Prerequisite,
  Serve,
  ServingRule,
  TargetRef,
  Variation,
  VariationMap,
} from '../../../src/model/feature-config.js';
import { normaliseFlag, normaliseSegment } from '../../../src/model/normalise.js';
import type { GroupServingRule, Segment } from '../../../src/model/segment.js';
import { CLAUSE_VALUES, IDENTIFIERS, KINDS, VARIATIONS, pick } from './pools.js';
import type {
  RawClause,
  RawEnvironment,
  RawFlag,
  RawPrerequisite,
  RawSegment,
  RawServe,
} from './raw-environment.js';

/** Flags and segments as the proxy stores them (normalised), served as-is to the Node SDK. */
export interface DifferentialEnvironment {
  readonly flags: FeatureConfig[];
  readonly segments: Segment[];
}

const MISSING_VARIATION = 'ghost';

/**
 * Resolves the indices of a raw environment. Segment `i` may only refer to segments before it
 * and flag `i` only to earlier, never-failing flags as prerequisites: neither Node nor Go guards
 * against cycles, and Node throws when a prerequisite flag cannot be evaluated.
 */
export function buildEnvironment(raw: RawEnvironment): DifferentialEnvironment {
  const segments: Segment[] = [];
  for (const rawSegment of raw.segments) {
    segments.push(buildSegment(rawSegment, `seg${segments.length}`, segmentIds(segments)));
  }
  const ids = segmentIds(segments);
  const flags: FeatureConfig[] = [];
  const prerequisiteCandidates: FeatureConfig[] = [];
  raw.flags.forEach((rawFlag, i) => {
    const flag = buildFlag(rawFlag, `flag${i}`, ids, prerequisiteCandidates);
    flags.push(flag);
    if (!rawFlag.broken) {
      prerequisiteCandidates.push(flag);
    }
  });
  return { flags: flags.map(normaliseFlag), segments: segments.map(normaliseSegment) };
}

const segmentIds = (segments: readonly Segment[]): string[] => segments.map((s) => s.identifier);

const targetRef = (i: number): TargetRef => {
  const identifier = pick(IDENTIFIERS, i);
  return { identifier, name: identifier };
};

/** `undefined` for a `segmentMatch` with no segment to refer to (only in the first segment). */
function buildClause(raw: RawClause, segments: readonly string[]): Clause | undefined {
  if ('segments' in raw) {
    return segments.length === 0
      ? undefined
      : { attribute: '', op: 'segmentMatch', values: raw.segments.map((i) => pick(segments, i)) };
  }
  const pool = CLAUSE_VALUES[raw.attribute] ?? [];
  return { attribute: raw.attribute, op: raw.op, values: raw.values.map((i) => pick(pool, i)) };
}

function buildClauses(raw: readonly RawClause[], segments: readonly string[]): Clause[] {
  return raw.flatMap((clause) => buildClause(clause, segments) ?? []);
}

function buildSegment(raw: RawSegment, identifier: string, earlier: readonly string[]): Segment {
  // A serving rule always keeps at least one clause: Go and Node disagree on empty ones.
  const servingRules: GroupServingRule[] | undefined = raw.servingRules
    ?.map((clauses, k) => ({
      ruleId: `r${k}`,
      priority: k,
      clauses: buildClauses(clauses, earlier),
    }))
    .filter((rule) => rule.clauses.length > 0);
  return {
    identifier,
    name: identifier,
    included: raw.included.map(targetRef),
    excluded: raw.excluded.map(targetRef),
    ...(raw.rules && { rules: buildClauses(raw.rules, earlier) }),
    ...(servingRules && { servingRules }),
  };
}

function buildServe(raw: RawServe, variations: readonly Variation[]): Serve {
  if ('variation' in raw) {
    return { variation: pick(variations, raw.variation).identifier };
  }
  // Cumulative bounds: the given cuts (sorted), padded with 100, so the weights sum to 100.
  const count = raw.picks.length;
  const bounds = raw.cuts.slice(0, count - 1).sort((a, b) => a - b);
  while (bounds.length < count) {
    bounds.push(100);
  }
  const entries = raw.picks.map((p, k) => ({
    variation: pick(variations, p).identifier,
    weight: (bounds[k] ?? 100) - (bounds[k - 1] ?? 0),
  }));
  return { distribution: { bucketBy: raw.bucketBy, variations: entries } };
}

function buildPrerequisite(
  raw: RawPrerequisite,
  candidates: readonly FeatureConfig[],
): Prerequisite[] {
  if (candidates.length === 0) {
    return [];
  }
  const flag = pick(candidates, raw.flag);
  const choices = [...flag.variations.map((v) => v.identifier), MISSING_VARIATION];
  return [{ feature: flag.feature, variations: raw.variations.map((i) => pick(choices, i)) }];
}

function buildFlag(
  raw: RawFlag,
  feature: string,
  segments: readonly string[],
  candidates: readonly FeatureConfig[],
): FeatureConfig {
  const kind = pick(KINDS, raw.kind);
  const variations = [...VARIATIONS[kind]];
  const rules: ServingRule[] = raw.rules.flatMap((rule, k) => {
    const clause = buildClause(rule.clause, segments);
    const serve = buildServe(rule.serve, variations);
    // Distinct but shuffled priorities: Node sorts with an unstable comparator, so ties are
    // outside the domain where the evaluators agree.
    const priority = rule.priority * 10 + k;
    return clause ? [{ ruleId: `rule${k}`, priority, clauses: [clause], serve }] : [];
  });
  const variationToTargetMap: VariationMap[] = raw.targetMap.map((entry) => ({
    variation: pick(variations, entry.variation).identifier,
    ...(entry.targets && { targets: entry.targets.map(targetRef) }),
    ...(entry.segments && { targetSegments: entry.segments.map((i) => pick(segments, i)) }),
  }));
  return {
    feature,
    kind,
    state: raw.on ? 'on' : 'off',
    offVariation: raw.broken ? MISSING_VARIATION : pick(variations, raw.offVariation).identifier,
    defaultServe: buildServe(raw.defaultServe, variations),
    variations,
    rules,
    variationToTargetMap,
    prerequisites: raw.prerequisites.flatMap((p) => buildPrerequisite(p, candidates)),
  };
}
