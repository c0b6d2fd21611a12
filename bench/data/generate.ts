import { createHash } from 'node:crypto';
import type { FeatureConfig, Variation } from '../../src/model/feature-config.js';
import type { Segment } from '../../src/model/segment.js';
import type { Target } from '../../src/model/target.js';

/** One generated environment: what an offline directory and the emulator are both fed with. */
export interface BenchEnvironment {
  id: string;
  /** Raw SDK key; only its SHA-256 is stored anywhere. */
  sdkKey: string;
  flags: FeatureConfig[];
  segments: Segment[];
  targets: Target[];
}

export const COUNTRIES = ['US', 'GB', 'DE', 'FR', 'CA', 'JP', 'BR', 'IN'];
export const PLANS = ['free', 'pro', 'enterprise'];
export const DOMAINS = ['example.com', 'partner.io', 'acme.com', 'globex.org'];
export const COMPANIES = ['acme', 'globex', 'initech', 'umbrella', 'hooli'];

export const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');

/** A UUID-shaped string derived from a seed: the same data on every run. */
export function stableUuid(seed: string): string {
  return sha256Hex(seed)
    .slice(0, 32)
    .replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');
}

/** The attributes of the n-th synthetic user, spread over every rule's values. */
export function userTarget(n: number): Target {
  return {
    identifier: `user-${n}`,
    name: `User ${n}`,
    anonymous: false,
    attributes: {
      email: `user-${n}@${DOMAINS[n % DOMAINS.length]}`,
      country: COUNTRIES[n % COUNTRIES.length] ?? 'US',
      plan: PLANS[n % PLANS.length] ?? 'free',
      company: COMPANIES[n % COMPANIES.length] ?? 'acme',
      signupDate: `202${n % 6}-0${(n % 9) + 1}-15`,
    },
  };
}

const bool = (): Variation[] => [
  { identifier: 'true', name: 'True', value: 'true' },
  { identifier: 'false', name: 'False', value: 'false' },
];

const targetRefs = (from: number, count: number): { identifier: string; name: string }[] =>
  Array.from({ length: count }, (_, i) => ({
    identifier: `user-${from + i}`,
    name: `User ${from + i}`,
  }));

const rollout = (
  bucketBy: string,
  variations: [string, number][],
): FeatureConfig['defaultServe'] => ({
  distribution: {
    bucketBy,
    variations: variations.map(([variation, weight]) => ({ variation, weight })),
  },
});

/**
 * Five kinds of flag, in turn, so every evaluation path is exercised the way real environments
 * do: target maps and segment entries, attribute rules, percentage rollouts (by identifier and
 * by attribute), prerequisites, multivariate string/int/json values, and some flags off.
 */
function flag(index: number, env: string): FeatureConfig {
  const feature = `flag-${String(index).padStart(3, '0')}`;
  const common = {
    feature,
    environment: env.slice(0, 8),
    project: 'bench',
    version: 1 + (index % 7),
  };
  const state = index % 10 === 9 ? 'off' : 'on';
  switch (index % 5) {
    case 0:
      return {
        ...common,
        kind: 'boolean',
        state,
        variations: bool(),
        offVariation: 'false',
        defaultServe: { variation: 'false' },
        rules: [],
        variationToTargetMap: [
          { variation: 'true', targets: targetRefs(index * 10, 5) },
          { variation: 'true', targetSegments: ['beta-testers'] },
        ],
        prerequisites: [],
      };
    case 1:
      return {
        ...common,
        kind: 'boolean',
        state,
        variations: bool(),
        offVariation: 'false',
        defaultServe: rollout('identifier', [
          ['true', 30],
          ['false', 70],
        ]),
        rules: [
          {
            ruleId: `${feature}-markets`,
            priority: 1,
            clauses: [
              { attribute: 'country', op: 'in', negate: false, values: ['US', 'CA', 'GB'] },
            ],
            serve: { variation: 'true' },
          },
        ],
        variationToTargetMap: [],
        prerequisites: [],
      };
    case 2:
      return {
        ...common,
        kind: 'string',
        state,
        variations: [
          { identifier: 'classic', value: 'Classic layout' },
          { identifier: 'guided', value: 'Guided layout' },
          { identifier: 'compact', value: 'Compact layout' },
        ],
        offVariation: 'classic',
        defaultServe: rollout('identifier', [
          ['classic', 34],
          ['guided', 33],
          ['compact', 33],
        ]),
        rules: [
          {
            ruleId: `${feature}-partners`,
            priority: 2,
            clauses: [{ attribute: 'email', op: 'contains', negate: false, values: ['partner'] }],
            serve: { variation: 'compact' },
          },
          {
            ruleId: `${feature}-enterprise`,
            priority: 1,
            clauses: [{ attribute: '', op: 'segmentMatch', negate: false, values: ['enterprise'] }],
            serve: { variation: 'guided' },
          },
        ],
        variationToTargetMap: [],
        prerequisites: [],
      };
    case 3:
      return {
        ...common,
        kind: 'int',
        state,
        variations: [
          { identifier: 'ten', value: '10' },
          { identifier: 'fifty', value: '50' },
          { identifier: 'hundred', value: '100' },
        ],
        offVariation: 'ten',
        defaultServe: { variation: 'ten' },
        rules: [
          {
            ruleId: `${feature}-pro`,
            priority: 1,
            clauses: [{ attribute: 'plan', op: 'equal_sensitive', negate: false, values: ['pro'] }],
            serve: { variation: 'fifty' },
          },
          {
            ruleId: `${feature}-late`,
            priority: 2,
            clauses: [{ attribute: 'signupDate', op: 'gt', negate: false, values: ['2024-01-01'] }],
            serve: rollout('email', [
              ['fifty', 50],
              ['hundred', 50],
            ]),
          },
        ],
        variationToTargetMap: [],
        // A prerequisite on the boolean flag two places before (kind 1).
        prerequisites: index >= 2 ? [{ feature: flagName(index - 2), variations: ['true'] }] : [],
      };
    default:
      return {
        ...common,
        kind: 'json',
        state,
        variations: [
          { identifier: 'light', value: '{"mode":"light","accent":"#0066ff","fontScale":1}' },
          { identifier: 'dark', value: '{"mode":"dark","accent":"#ff8800","fontScale":1}' },
        ],
        offVariation: 'light',
        defaultServe: rollout('company', [
          ['light', 50],
          ['dark', 50],
        ]),
        rules: [],
        variationToTargetMap: [
          { variation: 'dark', targets: targetRefs(index * 10 + 5, 3), targetSegments: ['vip'] },
        ],
        prerequisites: [],
      };
  }
}

const flagName = (index: number): string => `flag-${String(index).padStart(3, '0')}`;

function segments(env: string): Segment[] {
  const environment = env.slice(0, 8);
  return [
    {
      identifier: 'beta-testers',
      name: 'Beta testers',
      environment,
      included: Array.from({ length: 20 }, (_, i) => userTarget(i * 7)),
      excluded: [userTarget(3)],
      rules: [{ attribute: 'email', op: 'ends_with', negate: false, values: ['@example.com'] }],
      version: 2,
    },
    {
      identifier: 'enterprise',
      name: 'Enterprise customers',
      environment,
      included: [],
      excluded: [],
      servingRules: [
        {
          ruleId: 'enterprise-plan',
          priority: 1,
          clauses: [{ attribute: 'plan', op: 'equal', negate: false, values: ['enterprise'] }],
        },
        {
          ruleId: 'enterprise-company',
          priority: 2,
          clauses: [
            { attribute: 'company', op: 'in', negate: false, values: ['acme', 'globex'] },
            { attribute: 'country', op: 'in', negate: false, values: ['US', 'DE'] },
          ],
        },
      ],
      version: 3,
    },
    {
      identifier: 'vip',
      name: 'VIP',
      environment,
      included: [],
      excluded: [],
      servingRules: [
        {
          ruleId: 'vip-prefix',
          priority: 1,
          clauses: [
            { attribute: 'identifier', op: 'starts_with', negate: false, values: ['vip-'] },
          ],
        },
      ],
      version: 1,
    },
  ];
}

/** The `index`-th environment with `flagCount` flags, 3 segments and 20 stored targets. */
export function benchEnvironment(index: number, flagCount: number): BenchEnvironment {
  const id = stableUuid(`bench-env-${index}`);
  return {
    id,
    sdkKey: stableUuid(`bench-sdk-key-${index}`),
    flags: Array.from({ length: flagCount }, (_, i) => flag(i, id)),
    segments: segments(id),
    targets: Array.from({ length: 20 }, (_, i) => userTarget(i)),
  };
}
