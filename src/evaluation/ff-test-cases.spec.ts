import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Evaluation } from '../model/evaluation.js';
import type { FeatureConfig } from '../model/feature-config.js';
import type { Segment } from '../model/segment.js';
import type { Target } from '../model/target.js';
import { createEvaluationContext } from './evaluation-context.js';
import { type EvaluateOneResult, evaluateOne } from './evaluator.js';

// The shared drone/ff-test-cases vectors (docs/evaluation.md), run through the same function the
// by-feature endpoint uses. Each file gets its own context, as in the Go runner.

interface VectorFile {
  flags: FeatureConfig[];
  segments?: Segment[] | null;
  targets?: Target[] | null;
  tests: { flag: string; target?: string; expected: unknown }[];
}

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const VECTOR_DIR =
  process.env['FF_TEST_CASES_DIR'] ?? path.resolve(REPO_ROOT, '../shared/testdata/ff-test-cases');
const FOUND = existsSync(VECTOR_DIR);
const VECTOR_FILES = FOUND
  ? readdirSync(VECTOR_DIR, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.json'))
      .sort()
  : [];
const TITLE = FOUND
  ? 'ff-test-cases'
  : 'ff-test-cases (skipped: vector directory not found; set FF_TEST_CASES_DIR)';

describe.skipIf(!FOUND)(TITLE, () => {
  it('finds vector files', () => {
    expect(VECTOR_FILES).not.toHaveLength(0);
  });

  for (const file of VECTOR_FILES) {
    const vectors = readVectors(path.join(VECTOR_DIR, file));
    const ctx = createEvaluationContext(vectors.flags, vectors.segments ?? []);
    describe(`${file} (${vectors.tests.length} assertions)`, () => {
      vectors.tests.forEach((test, index) => {
        it(`#${index} ${test.flag} for ${test.target ?? '(no target)'}`, () => {
          const evaluation = servedEvaluation(
            evaluateOne(ctx, test.flag, findTarget(vectors, test.target)),
          );

          expect(asServed(evaluation.kind, evaluation.value)).toEqual(
            asExpected(evaluation.kind, test.expected),
          );
        });
      });
    });
  }
});

function readVectors(file: string): VectorFile {
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (!isVectorFile(parsed)) {
    throw new Error(`${file} is not an ff-test-cases vector file`);
  }
  return parsed;
}

function isVectorFile(value: unknown): value is VectorFile {
  return (
    typeof value === 'object' &&
    value !== null &&
    'flags' in value &&
    Array.isArray(value.flags) &&
    'tests' in value &&
    Array.isArray(value.tests)
  );
}

function findTarget(vectors: VectorFile, identifier: string | undefined): Target | null {
  if (identifier === undefined) {
    return null;
  }
  const target = vectors.targets?.find((candidate) => candidate.identifier === identifier);
  if (!target) {
    throw new Error(`target ${identifier} is not listed in the file`);
  }
  return target;
}

function servedEvaluation(result: EvaluateOneResult): Evaluation {
  if (result.status !== 'ok') {
    throw new Error(`evaluation failed: ${result.status}`);
  }
  return result.evaluation;
}

/** The served string as an SDK converts it for the flag's kind (docs/evaluation.md). */
function asServed(kind: string, value: string): unknown {
  switch (kind) {
    case 'boolean':
      return value.toLowerCase() === 'true';
    case 'int':
      return Number.parseFloat(value);
    case 'json':
      return JSON.parse(value) as unknown;
    default:
      return value;
  }
}

/** json expectations are JSON text, compared structurally; the other kinds are literal. */
function asExpected(kind: string, expected: unknown): unknown {
  return kind === 'json' ? (JSON.parse(String(expected)) as unknown) : expected;
}
