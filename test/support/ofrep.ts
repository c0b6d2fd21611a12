import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Evaluation } from '../../src/model/evaluation.js';
import type { FeatureConfig } from '../../src/model/feature-config.js';
import type { Segment } from '../../src/model/segment.js';
import { EXAMPLE_ENVIRONMENTS, EXPECTED_EVALUATIONS } from './example-config.js';
import { environmentSeed } from './upstream-emulator/fixtures.js';

/** A Harness target as the JS SDK sends it, and the OFREP context naming the same target. */
export interface TestTarget {
  identifier: string;
  name: string;
  attributes: Record<string, string>;
}

/** The example production environment (every flag kind, rules, segments, rollouts) as a seed. */
export function exampleSeed() {
  const dir = EXAMPLE_ENVIRONMENTS.production.directory;
  const read = (file: string): unknown => JSON.parse(readFileSync(join(dir, file), 'utf8'));
  return environmentSeed({
    featureConfigs: read('feature_config.json') as FeatureConfig[],
    segments: read('segments.json') as Segment[],
  });
}

const COUNTRIES = ['DE', 'US', 'FR', 'GB', 'JP'];
const PLANS = ['free', 'pro', 'enterprise'];
const DOMAINS = ['example.com', 'partner.io', 'acme.test'];

/**
 * The example's documented targets, then `extra` more spread over the attributes its rules and
 * segments read (country, plan, email, signupDate): many targets, every branch.
 */
export function manyTargets(extra: number): TestTarget[] {
  const known = EXPECTED_EVALUATIONS.production.map(({ target }) => ({
    identifier: target.identifier,
    name: target.name ?? target.identifier,
    attributes: Object.fromEntries(
      Object.entries(target.attributes ?? {}).map(([k, v]) => [
        k,
        typeof v === 'string' ? v : JSON.stringify(v),
      ]),
    ),
  }));
  const generated = Array.from({ length: extra }, (_, i) => ({
    identifier: `user-${i}`,
    name: `User ${i}`,
    attributes: {
      email: `user-${i}@${DOMAINS[i % DOMAINS.length]}`,
      country: COUNTRIES[i % COUNTRIES.length] ?? 'DE',
      plan: PLANS[Math.floor(i / 5) % PLANS.length] ?? 'free',
      signupDate: `202${i % 6}-0${(i % 9) + 1}-15`,
    },
  }));
  return [...known, ...generated];
}

export function contextOf(target: TestTarget): Record<string, string> {
  return { targetingKey: target.identifier, name: target.name, ...target.attributes };
}

/** What the Harness client-SDK route serves the target (as the JS SDK asks: target header). */
export async function harnessEvaluations(
  baseUrl: string,
  sdkKey: string,
  env: string,
  target: TestTarget,
): Promise<Evaluation[]> {
  const auth = await fetch(`${baseUrl}/client/auth`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ apiKey: sdkKey, target }),
  });
  const { authToken } = (await auth.json()) as { authToken: string };
  const response = await fetch(
    `${baseUrl}/client/env/${env}/target/${encodeURIComponent(target.identifier)}/evaluations`,
    {
      headers: {
        authorization: `Bearer ${authToken}`,
        'harness-target': Buffer.from(JSON.stringify(target)).toString('base64'),
      },
    },
  );
  if (response.status !== 200) {
    throw new Error(`evaluations: ${response.status} ${await response.text()}`);
  }
  return (await response.json()) as Evaluation[];
}

/** A Harness wire value as the Harness SDKs convert it (and OFREP types it). */
export function typedValue(evaluation: Evaluation): unknown {
  switch (evaluation.kind) {
    case 'boolean':
      return evaluation.value.toLowerCase() === 'true';
    case 'int':
      return Number.parseFloat(evaluation.value);
    case 'json':
      return JSON.parse(evaluation.value) as unknown;
    default:
      return evaluation.value;
  }
}
