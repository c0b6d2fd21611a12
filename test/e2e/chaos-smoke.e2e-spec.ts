import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Budget } from '../../bench/chaos/lib/budgets.js';
import type { ChaosResults } from '../../bench/chaos/lib/chaos.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSX = fileURLToPath(import.meta.resolve('tsx/cli'));

/** Runs `npm run chaos -- --short`; its exit code (1: a budget broken) and what it wrote. */
function runShortChaos(dir: string): Promise<number> {
  const args = [TSX, 'bench/chaos/run.ts', '--short', '--output', join(dir, 'RELIABILITY.md')];
  args.push('--json', join(dir, 'chaos.json'), '--logs', join(dir, 'logs'));
  return new Promise((resolve) => {
    const child = execFile(process.execPath, args, { cwd: ROOT, timeout: 540_000 }, () =>
      resolve(child.exitCode ?? -1),
    );
  });
}

// The faults of `npm run chaos` together, compressed (about 2 minutes), with the budgets of the
// full run: the relay under test is the compiled one, each instance a process of its own.
describe('npm run chaos -- --short (faults together, under load)', () => {
  let dir: string;
  let exitCode: number;
  let results: ChaosResults & { budgets: Budget[] };
  let report: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ff-relay-chaos-smoke-'));
    exitCode = await runShortChaos(dir);
    results = JSON.parse(await readFile(join(dir, 'chaos.json'), 'utf8')) as typeof results;
    report = await readFile(join(dir, 'RELIABILITY.md'), 'utf8');
  }, 600_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('runs every step of the sequence, each restarted instance healthy again', () => {
    expect(results.steps.filter((step) => step.note.startsWith('step failed'))).toEqual([]);
    expect(results.steps.length).toBeGreaterThanOrEqual(12);
  });

  it('fails no SDK request (a 503 for what an instance never saw aside)', () => {
    expect(results.requests).toBeGreaterThan(100);
    expect(results.failures.filter((row) => row.counted)).toEqual([]);
  });

  it('starts every SDK app and leaves none stale once the last fault settled', () => {
    expect(results.sdks.initFailures).toEqual([]);
    expect(results.settling.stale).toEqual([]);
    expect(results.settling.seconds).toBeDefined();
  });

  it('loses no SDK metrics', () => {
    expect(results.metrics.batches).toBeGreaterThan(10);
    expect(results.metrics).toMatchObject({ lost: 0, lostBatches: 0 });
  });

  it('leaves no Admin API call half-done', () => {
    expect(results.adminActions.filter((action) => action.outcome === 'broken')).toEqual([]);
  });

  it('leaks no file descriptors', () => {
    const fds = results.budgets.find((budget) => budget.name.startsWith('Open fds'));
    expect(fds).toMatchObject({ met: true });
  });

  it('appends a section with the machine, the commit, the budgets and the sequence', () => {
    expect(report).toMatch(/^# Reliability/);
    expect(report).toMatch(/^## .+ UTC — chaos \(short\)$/m);
    expect(report).toMatch(/^Machine: .+ cores, .+ GiB RAM; Node v\d+.+; commit \w+/m);
    expect(report).toContain('| Budget | Measured | Met |');
    expect(report).toContain('| Redis hung (SIGSTOP) |');
  });

  it('exits 1 exactly when a budget is broken', () => {
    expect(exitCode).toBe(results.budgets.every((budget) => budget.met) ? 0 : 1);
  });
});
