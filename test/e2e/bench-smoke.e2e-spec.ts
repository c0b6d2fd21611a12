import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { HTTP_ROWS } from '../../bench/lib/results.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSX = fileURLToPath(import.meta.resolve('tsx/cli'));

/** The cells of the table row whose first cell is `label`. */
function row(markdown: string, label: string): string[] | undefined {
  const line = markdown.split('\n').find((l) => l.startsWith(`| ${label} |`));
  return line
    ?.split('|')
    .slice(1, -1)
    .map((text) => text.trim());
}

/** The cell under `header` in the table row whose first cell is `label`. */
function cell(markdown: string, label: string, header: string): string | undefined {
  const lines = markdown.split('\n');
  const at = lines.findIndex((l) => l.startsWith(`| ${label} |`));
  // The table's header is the line above its `|---|` separator.
  let separator = at;
  while (separator > 0 && !lines[separator]?.startsWith('|---')) {
    separator -= 1;
  }
  const headers = (lines[separator - 1] ?? '')
    .split('|')
    .slice(1, -1)
    .map((name) => name.trim());
  const index = headers.indexOf(header);
  return at < 0 || index < 0 ? undefined : row(markdown, label)?.[index];
}

const number = (text: string | undefined): number => Number((text ?? '').replace(/[^\d.]/g, ''));
const RATIO = /^\d+\.\d\d×$/;
const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// Runs `npm run bench` with tiny settings so the script cannot rot; no timing is asserted.
describe('npm run bench (smoke)', () => {
  let dir: string;
  let report: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ff-relay-bench-smoke-'));
    const output = join(dir, 'BENCHMARKS.md');
    const args = ['--duration', '1', '--warmup', '0', '--connections', '5', '--rounds', '2'];
    args.push('--sse-clients', '50', '--envs', '20', '--output', output);
    args.push('--cpu-prof', join(dir, 'profiles'));
    await promisify(execFile)(process.execPath, [TSX, 'bench/run.ts', ...args], {
      cwd: ROOT,
      timeout: 240_000,
    });
    report = await readFile(output, 'utf8');
  }, 300_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes a section with the machine, the Node version and the commit', () => {
    expect(report).toMatch(/^# Benchmarks/);
    expect(report).toMatch(/^Machine: .+ cores, .+ GiB RAM; Node v\d+.+; commit \w+/m);
  });

  it.each(Object.values(HTTP_ROWS))('has the row "%s" with a positive rate, no errors', (label) => {
    expect(number(cell(report, label, 'req/s'))).toBeGreaterThan(0);
    expect(cell(report, label, 'errors')).toBe('0');
    // The cores the server used, and in brackets its JavaScript thread's.
    expect(cell(report, label, 'server CPU')).toMatch(/^\d+\.\d\d \(\d+\.\d\d\)$/);
  });

  it.each([
    HTTP_ROWS.featureConfigsMemory,
    HTTP_ROWS.featureConfigsGzip,
    HTTP_ROWS.featureConfigsSmall,
    HTTP_ROWS.featureConfigsPrimary,
    HTTP_ROWS.featureConfigsReplica,
  ])('has the ratio of "%s" to the ceiling of its own median round', (label) => {
    const ratio = cell(report, label, 'vs ceiling') ?? '';
    expect(ratio).toMatch(RATIO);
    const rounds = new RegExp(`${escapeRegExp(label)}: ([\\d. /]+)[;.]`)
      .exec(report)?.[1]
      ?.split(' / ');
    expect(rounds).toContain(ratio.replace('×', ''));
  });

  it('has the ratio of evaluations to the peer', () => {
    expect(cell(report, HTTP_ROWS.evaluations, 'vs peer')).toMatch(RATIO);
  });

  it('reports bytes per answer: the gzip rows send fewer, the same as their ceiling', () => {
    const bytes = (label: string) => number(cell(report, label, 'bytes/answer'));
    const gzip = bytes(HTTP_ROWS.featureConfigsGzip);
    expect(gzip).toBeGreaterThan(0);
    expect(gzip).toBeLessThan(bytes(HTTP_ROWS.featureConfigsMemory) / 2);
    expect(bytes(HTTP_ROWS.ceilingGzip)).toBeLessThan(bytes(HTTP_ROWS.ceiling) / 2);
  });

  it('reports the median of the rounds with the ratio of each', () => {
    expect(report).toMatch(
      /^2 rounds; each row is its median round .+ Ratios per round: .+\d\.\d\d \/ \d\.\d\d/m,
    );
  });

  it('has the SSE fan-out with every stream getting the change', () => {
    const cells = row(report, '50 (50)');
    expect(cells).toBeDefined();
    expect(cells?.[3]).toBe('50');
    expect(cells?.[6]).toMatch(/^\d+ ms$/);
  });

  it('has the scale rows for the primary and the replica', () => {
    expect(row(report, '20 × 30')?.[1]).toMatch(/^primary/);
    expect(report).toMatch(/^\| 20 × 30 \| replica .+ \| \d+\.\d\d s \| \d+ MiB \|$/m);
    // Each count is measured once per round, and the rounds are shown.
    expect(report).toMatch(
      /^2 rounds; each row is the median round of its primary\. Ready times per round: 20, primary: \d+\.\d\d \/ \d+\.\d\d s; 20, replica: /m,
    );
  });

  it('says which targets are met', () => {
    expect(report).toContain('### Targets');
    expect(report).toMatch(/`evaluations` ≥ 8× the peer \| \d+\.\d\d× \| (yes|\*\*no\*\*) \|/);
  });

  it('profiles the relay and summarises the measured window of a profile', async () => {
    const profile = join(dir, 'profiles', 'offline-evaluations.cpuprofile');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [TSX, 'bench/cpuprofile-summary.ts', profile, '--top', '5'],
      { cwd: ROOT },
    );
    expect(stdout).toMatch(/\d+ requests, [\d.]+ µs of CPU each/);
    expect(stdout).toContain('| Self time by function | ms | % of busy |');
    expect(stdout).toContain('| Inclusive time by function | ms | % of busy |');
  });
});
