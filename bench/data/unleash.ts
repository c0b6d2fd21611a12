import type { Clause, FeatureConfig, Serve } from '../../src/model/feature-config.js';
import type { Segment } from '../../src/model/segment.js';
import type { BenchEnvironment } from './generate.js';

/** The parts of Unleash's client API format (`/api/client/features`) the peer is fed. */
interface UnleashConstraint {
  contextName: string;
  operator: string;
  values: string[];
  caseInsensitive?: boolean;
}

interface UnleashStrategy {
  name: string;
  parameters: Record<string, string>;
  constraints: UnleashConstraint[];
  segments?: number[];
}

interface UnleashVariant {
  name: string;
  weight: number;
  weightType: 'variable';
  stickiness: string;
  payload?: { type: 'string' | 'json'; value: string };
}

export interface UnleashToggle {
  name: string;
  type: 'release';
  enabled: boolean;
  project: 'default';
  stale: false;
  impressionData: false;
  strategies: UnleashStrategy[];
  variants: UnleashVariant[];
  dependencies?: { feature: string; enabled: boolean; variants?: string[] }[];
}

export interface UnleashBootstrap {
  version: 2;
  features: UnleashToggle[];
  segments: { id: number; name: string; constraints: UnleashConstraint[] }[];
}

const OPERATORS: Record<string, string> = {
  in: 'IN',
  equal: 'IN',
  equal_sensitive: 'IN',
  contains: 'STR_CONTAINS',
  ends_with: 'STR_ENDS_WITH',
  starts_with: 'STR_STARTS_WITH',
  gt: 'DATE_AFTER',
};

/** Harness names the target's key `identifier`; Unleash calls it `userId`. */
const contextName = (attribute: string): string =>
  attribute === 'identifier' || attribute === '' ? 'userId' : attribute;

function constraint(clause: Clause): UnleashConstraint {
  return {
    contextName: contextName(clause.attribute),
    operator: OPERATORS[clause.op] ?? 'IN',
    values: clause.values,
    ...(clause.op === 'equal' ? { caseInsensitive: true } : {}),
  };
}

function strategy(
  feature: string,
  serve: Serve,
  extra: Partial<UnleashStrategy> = {},
): UnleashStrategy {
  const share = serve.distribution?.variations[0]?.weight ?? 100;
  const stickiness = contextName(serve.distribution?.bucketBy ?? 'identifier');
  return {
    name: 'flexibleRollout',
    parameters: { rollout: String(share), stickiness, groupId: feature },
    constraints: [],
    ...extra,
  };
}

/**
 * A close Unleash equivalent of each flag: target maps become `userWithId`, segment entries and
 * `segmentMatch` rules become strategies on Unleash segments, attribute rules become constraints,
 * percentage rollouts become `flexibleRollout` (with variants for multivariate flags), and
 * prerequisites become dependencies. The point is comparable evaluation work per flag, not
 * identical results.
 */
function toggle(flag: FeatureConfig, segmentIds: Map<string, number>): UnleashToggle {
  const strategies: UnleashStrategy[] = [];
  for (const entry of flag.variationToTargetMap ?? []) {
    const userIds = (entry.targets ?? []).map((t) => t.identifier).join(',');
    if (userIds) {
      strategies.push({ name: 'userWithId', parameters: { userIds }, constraints: [] });
    }
    const segments = (entry.targetSegments ?? []).map((s) => segmentIds.get(s) ?? 0);
    if (segments.length > 0) {
      strategies.push(strategy(flag.feature, { variation: entry.variation }, { segments }));
    }
  }
  for (const rule of [...(flag.rules ?? [])].sort((a, b) => a.priority - b.priority)) {
    const segmentClause = rule.clauses.find((c) => c.op === 'segmentMatch');
    const extra = segmentClause
      ? { segments: segmentClause.values.map((s) => segmentIds.get(s) ?? 0) }
      : { constraints: rule.clauses.map(constraint) };
    strategies.push(strategy(flag.feature, rule.serve, extra));
  }
  strategies.push(strategy(flag.feature, flag.defaultServe));
  const multivariate = flag.kind !== 'boolean';
  return {
    name: flag.feature,
    type: 'release',
    enabled: flag.state === 'on',
    project: 'default',
    stale: false,
    impressionData: false,
    strategies,
    variants: multivariate
      ? flag.variations.map((v) => ({
          name: v.identifier,
          weight: Math.floor(1000 / flag.variations.length),
          weightType: 'variable',
          stickiness: 'default',
          payload: { type: flag.kind === 'json' ? 'json' : 'string', value: v.value },
        }))
      : [],
    ...(flag.prerequisites?.length
      ? { dependencies: flag.prerequisites.map((p) => ({ feature: p.feature, enabled: true })) }
      : {}),
  };
}

function unleashSegment(segment: Segment, id: number): UnleashBootstrap['segments'][number] {
  const included = (segment.included ?? []).map((t) => t.identifier);
  const clauses = [...(segment.rules ?? []), ...(segment.servingRules?.[0]?.clauses ?? [])];
  const constraints = clauses.map(constraint);
  if (included.length > 0) {
    constraints.push({ contextName: 'userId', operator: 'IN', values: included });
  }
  return { id, name: segment.identifier, constraints };
}

/** The environment's flags and segments as an Unleash bootstrap file. */
export function unleashBootstrap(env: BenchEnvironment): UnleashBootstrap {
  const segmentIds = new Map(env.segments.map((s, i) => [s.identifier, i + 1]));
  return {
    version: 2,
    features: env.flags.map((flag) => toggle(flag, segmentIds)),
    segments: env.segments.map((s, i) => unleashSegment(s, i + 1)),
  };
}
