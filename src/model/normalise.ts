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

/**
 * Normalisation for storage: keep only the fields the Harness schema knows, in the alphabetical
 * order the Go proxy writes them, drop `null`s, and apply the two fix-ups every reader relies on
 * (`variationToTargetMap` is never missing; segments get their legacy `rules` back-filled). Every
 * instance, Go or ours, then serves identical bytes whichever one wrote the data.
 */
type Json = Record<string, unknown>;

function pick<T>(source: T, keys: readonly (keyof T & string)[]): Json {
  const out: Json = {};
  for (const key of keys) {
    const value = source[key];
    if (value !== undefined && value !== null) {
      out[key] = value;
    }
  }
  return out;
}

function mapList<T>(
  list: readonly T[] | undefined | null,
  fn: (item: T) => Json,
): Json[] | undefined {
  return list === undefined || list === null ? undefined : list.map(fn);
}

const clause = (c: Clause): Json => pick(c, ['attribute', 'id', 'negate', 'op', 'values']);

const distribution = (d: Distribution): Json => ({
  ...pick(d, ['bucketBy']),
  variations: (d.variations ?? []).map((v) => pick(v, ['variation', 'weight'])),
});

function serve(s: Serve): Json {
  const out = pick(s, ['variation']);
  return s.distribution ? { distribution: distribution(s.distribution), ...out } : out;
}

const rule = (r: ServingRule): Json =>
  pick({ ...r, clauses: mapList(r.clauses, clause) ?? [], serve: serve(r.serve ?? {}) }, [
    'clauses',
    'priority',
    'ruleId',
    'serve',
  ]);

const variation = (v: Variation): Json => pick(v, ['description', 'identifier', 'name', 'value']);

const variationMap = (m: VariationMap): Json =>
  pick({ ...m, targets: mapList(m.targets, (t) => pick(t, ['identifier', 'name'])) }, [
    'targetSegments',
    'targets',
    'variation',
  ]);

const prerequisite = (p: Prerequisite): Json => pick(p, ['feature', 'variations']);

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
  ]) as unknown as FeatureConfig;
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
  ]) as unknown as Target;
}

const groupRule = (r: GroupServingRule): Json =>
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
    excluded: mapList(segment.excluded, (t) => normaliseTarget(t) as unknown as Json),
    included: mapList(segment.included, (t) => normaliseTarget(t) as unknown as Json),
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
  ]) as unknown as Segment;
}
