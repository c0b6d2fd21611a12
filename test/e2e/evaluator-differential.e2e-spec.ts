import * as fc from 'fast-check';
import { createEvaluationContext } from '../../src/evaluation/evaluation-context.js';
import {
  buildEnvironment,
  type DifferentialEnvironment,
} from '../support/differential/build-environment.js';
import { ConfigServer } from '../support/differential/config-server.js';
import { DecisionStats, decide } from '../support/differential/decision-stats.js';
import {
  droppableArray,
  rawEnvironmentArb,
  targetArb,
  type DifferentialTarget,
} from '../support/differential/raw-environment.js';
import {
  connectSdk,
  describeMismatch,
  oursAsSdkValue,
  theirsFromSdk,
} from '../support/differential/sdk-comparison.js';

// Property-based differential test: random environments inside the domain where the Go
// (normative) and Node evaluators agree (docs/evaluation.md), each evaluated by our evaluator and
// by the unmodified Node server SDK polling a tiny config server. Any difference is a bug.
const SEED = 20_240_611;
const NUM_RUNS = 1_000;
const MIN_CASES = 5_000;

const environmentArb = rawEnvironmentArb.map(buildEnvironment);
const targetsArb = droppableArray(targetArb, { minLength: 1, maxLength: 6 });

describe('evaluator vs the unmodified Node server SDK (differential)', () => {
  const server = new ConfigServer();
  const stats = new DecisionStats();
  let baseUrl = '';

  beforeAll(async () => {
    baseUrl = await server.start();
  });
  afterAll(() => server.close());

  /** Throws a message naming flag, target and both answers at the first difference. */
  async function compare(
    environment: DifferentialEnvironment,
    targets: readonly DifferentialTarget[],
  ): Promise<void> {
    const ctx = createEvaluationContext(environment.flags, environment.segments);
    const { sdkKey, remove } = server.add(environment);
    const client = await connectSdk(baseUrl, sdkKey);
    try {
      for (const target of targets) {
        for (const flag of environment.flags) {
          const ours = oursAsSdkValue(ctx, flag, target);
          const theirs = await theirsFromSdk(client, flag, target);
          const mismatch = describeMismatch(flag, target, ours, theirs);
          if (mismatch) {
            throw new Error(mismatch);
          }
          stats.record(decide(ctx, ctx.flags.get(flag.feature) ?? flag, target));
        }
      }
    } finally {
      client.close();
      remove();
    }
  }

  it('serves the same value for every generated flag and target', async () => {
    // The same cases in every run, so a failure reproduces; FC_SEED explores others.
    const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : SEED;
    console.log(`evaluator differential: fast-check seed ${seed}, ${NUM_RUNS} environments`);
    const started = performance.now();

    await fc.assert(fc.asyncProperty(environmentArb, targetsArb, compare), {
      seed,
      numRuns: NUM_RUNS,
    });

    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`evaluator differential: ${stats.summary()} (${seconds} s)`);
    expect(stats.cases).toBeGreaterThanOrEqual(MIN_CASES);
    // The generator must reach the interesting branches, not only default serves.
    const paths = [
      'target map',
      'target map via segment',
      'rule',
      'rule via segmentMatch',
    ] as const;
    expect(paths.filter((path) => stats.share(path) < 0.02)).toEqual([]);
  }, 180_000);
});
