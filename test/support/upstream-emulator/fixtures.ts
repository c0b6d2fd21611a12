import { randomUUID } from 'node:crypto';
import type { FeatureConfig } from '../../../src/model/feature-config.js';
import type { Segment } from '../../../src/model/segment.js';
import type { EnvironmentSeed } from './environment-store.js';

/** A boolean flag in the shape SaaS serves (docs/upstream.md). */
export function booleanFlag(
  feature: string,
  overrides: Partial<FeatureConfig> = {},
): FeatureConfig {
  return {
    project: 'demo',
    environment: 'dev',
    feature,
    kind: 'boolean',
    state: 'off',
    variations: [
      { identifier: 'true', value: 'true', name: 'True' },
      { identifier: 'false', value: 'false', name: 'False' },
    ],
    defaultServe: { variation: 'true' },
    offVariation: 'false',
    rules: [],
    prerequisites: [],
    version: 1,
    ...overrides,
  };
}

/** A target group with one v2 serving rule. */
export function segment(identifier: string, overrides: Partial<Segment> = {}): Segment {
  return {
    identifier,
    name: identifier,
    environment: 'dev',
    included: [],
    excluded: [],
    rules: [],
    servingRules: [
      {
        ruleId: `${identifier}-rule`,
        priority: 1,
        clauses: [{ attribute: 'email', op: 'ends_with', negate: false, values: ['@example.com'] }],
      },
    ],
    version: 1,
    ...overrides,
  };
}

/** An environment with a fresh UUID, one SDK key, one flag and one segment. */
export function environmentSeed(overrides: Partial<EnvironmentSeed> = {}): EnvironmentSeed {
  return {
    id: randomUUID(),
    apiKeys: [randomUUID()],
    featureConfigs: [booleanFlag('dark-mode')],
    segments: [segment('beta-users')],
    ...overrides,
  };
}
