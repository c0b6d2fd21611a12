import type {
  Clause,
  Distribution,
  FeatureConfig,
  Prerequisite,
  Serve,
  ServingRule,
  Variation,
  VariationMap,
} from './feature-config.js';
import type { GroupServingRule, Segment } from './segment.js';
import type { Target } from './target.js';

// Normalisation for storage: keep only the fields the Harness schema knows, in the alphabetical
// order the Go proxy writes them, drop `null`s, and apply the two fix-ups every reader relies on
// (`variationToTargetMap` is never missing; segments get their legacy `rules` back-filled). Every
// instance, Go or ours, then serves identical bytes whichever one wrote the data.

/**
 * `source` with only `keys`, in that order, and without `null` or absent values. The result is
 * typed as the picked fields: a `null` the type did not allow came from outside it.
 */
function pick<T extends object, K extends keyof T>(source: T, keys: readonly K[]): Pick<T, K> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) {
    const value = source[key];
    if (value !== undefined && value !== null) {
      out[key] = value;
    }
  }
  return out as Pick<T, K>;
}

function mapList<T, U>(list: readonly T[] | undefined | null, fn: (item: T) => U): U[] | undefined {
  return list === undefined || list === null ? undefined : list.map(fn);
}

const clause = (c: Clause): Clause => pick(c, ['attribute', 'id', 'negate', 'op', 'values']);

const distribution = (d: Distribution): Distribution => ({
  ...pick(d, ['bucketBy']),
  variations: (d.variations ?? []).map((v) => pick(v, ['variation', 'weight'])),
});

function serve(s: Serve): Serve {
  const out = pick(s, ['variation']);
  return s.distribution ? { distribution: distribution(s.distribution), ...out } : out;
}

const rule = (r: ServingRule): ServingRule =>
  pick({ ...r, clauses: mapList(r.clauses, clause) ?? [], serve: serve(r.serve ?? {}) }, [
    'clauses',
    'priority',
    'ruleId',
    'serve',
  ]);

const variation = (v: Variation): Variation =>
  pick(v, ['description', 'identifier', 'name', 'value']);

const variationMap = (m: VariationMap): VariationMap =>
  pick({ ...m, targets: mapList(m.targets, (t) => pick(t, ['identifier', 'name'])) }, [
    'targetSegments',
    'targets',
    'variation',
  ]);

const prerequisite = (p: Prerequisite): Prerequisite => pick(p, ['feature', 'variations']);

export function normaliseFlag(flag: FeatureConfig): FeatureConfig {
  const shaped = {
    ...flag,
    defaultServe: serve(flag.defaultServe ?? {}),
    prerequisites: mapList(flag.prerequisites, prerequisite),
    rules: mapList(flag.rules, rule),
    variationToTargetMap: mapList(flag.variationToTargetMap, variationMap) ?? [],
    variations: mapList(flag.variations, variation) ?? [],
  };
  return pick(shaped, [
    'defaultServe',
    'environment',
    'feature',
    'kind',
    'offVariation',
    'prerequisites',
    'project',
    'rules',
    'state',
    'variationToTargetMap',
    'variations',
    'version',
  ]);
}

export function normaliseTarget(target: Target): Target {
  return pick(target, [
    'account',
    'anonymous',
    'attributes',
    'createdAt',
    'environment',
    'identifier',
    'name',
    'org',
    'project',
    'segments',
  ]);
}

const groupRule = (r: GroupServingRule): GroupServingRule =>
  pick({ ...r, clauses: mapList(r.clauses, clause) ?? [] }, ['clauses', 'priority', 'ruleId']);

export function normaliseSegment(segment: Segment): Segment {
  const servingRules = mapList(segment.servingRules, groupRule);
  let rules = mapList(segment.rules, clause);
  // Legacy SDKs only read `rules`, so a v2-only segment gets the first clause of each serving
  // rule, as the Go proxy does (lossy, but it is what they would see against Harness).
  if ((rules === undefined || rules.length === 0) && segment.servingRules?.length) {
    rules = segment.servingRules.flatMap((r) => (r.clauses?.[0] ? [clause(r.clauses[0])] : []));
  }
  const shaped = {
    ...segment,
    excluded: mapList(segment.excluded, normaliseTarget),
    included: mapList(segment.included, normaliseTarget),
    rules,
    servingRules,
    tags: mapList(segment.tags, (t) => pick(t, ['identifier', 'name'])),
  };
  return pick(shaped, [
    'createdAt',
    'environment',
    'excluded',
    'identifier',
    'included',
    'modifiedAt',
    'name',
    'rules',
    'servingRules',
    'tags',
    'version',
  ]);
}
