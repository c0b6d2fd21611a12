import { parseArgs } from 'node:util';

export type ScenarioName = 'http' | 'sse' | 'scale';
export const ALL_SCENARIOS: readonly ScenarioName[] = ['http', 'sse', 'scale'];

export interface BenchOptions {
  /** Seconds of measured load per HTTP row (after the warm-up). */
  durationSeconds: number;
  warmupSeconds: number;
  connections: number;
  /** HTTP rounds; each row reports the round with the median ratio (or rate). */
  rounds: number;
  /** Flags in the environment the HTTP rows and SSE fan-out use. */
  flags: number;
  sseClients: number;
  /** SDK streams per client process (each process has its own file-descriptor limit). */
  ssePerProcess: number;
  /** Environment counts for the scale rows. */
  envCounts: number[];
  scaleFlags: number;
  scenarios: ScenarioName[];
  /** The Markdown file a section is appended to. */
  output: string;
  /** Write a `--cpu-prof` profile of each server process (relays, ceiling, peer) here. */
  cpuProfDir?: string;
  /** Free text shown in the section heading, e.g. "before optimisation". */
  label?: string;
}

export const USAGE = `npm run bench -- [options]     (each option also reads BENCH_<NAME> from the environment)
  --duration <s>        measured seconds per HTTP row (10)
  --warmup <s>          warm-up seconds per HTTP row, not measured (2)
  --connections <n>     autocannon connections (50)
  --rounds <n>          HTTP rounds, each row reports its median round (3)
  --flags <n>           flags in the HTTP and SSE environment (50)
  --sse-clients <n>     SDK streams held at once (20000)
  --sse-per-process <n> streams per client process (5000)
  --envs <a,b>          environment counts for the scale rows (1000,5000)
  --scale-flags <n>     flags per environment in the scale rows (30)
  --scenarios <list>    any of http,sse,scale (all)
  --output <file>       Markdown file to append to (BENCHMARKS.md)
  --cpu-prof <dir>      profile every server process (node --cpu-prof) into <dir>
  --label <text>        shown in the section heading`;

const positiveInt = (name: string, value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) {
    throw new Error(`${name} must be a positive integer, got "${value}"`);
  }
  return n;
};

const positiveNumber = (name: string, value: string): number => {
  const n = Number(value);
  if (!(n > 0)) {
    throw new Error(`${name} must be a positive number, got "${value}"`);
  }
  return n;
};

/** CLI flags win over `BENCH_*` variables, which win over the defaults of a full run. */
export function parseOptions(argv: string[], env: NodeJS.ProcessEnv): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      duration: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      rounds: { type: 'string' },
      flags: { type: 'string' },
      'sse-clients': { type: 'string' },
      'sse-per-process': { type: 'string' },
      envs: { type: 'string' },
      'scale-flags': { type: 'string' },
      scenarios: { type: 'string' },
      output: { type: 'string' },
      'cpu-prof': { type: 'string' },
      label: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const pick = (flag: keyof typeof values, variable: string, fallback: string): string => {
    const value = values[flag];
    return typeof value === 'string' ? value : (env[variable] ?? fallback);
  };
  const scenarios = pick('scenarios', 'BENCH_SCENARIOS', ALL_SCENARIOS.join(','))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = scenarios.filter((s) => !ALL_SCENARIOS.includes(s as ScenarioName));
  if (unknown.length > 0) {
    throw new Error(
      `unknown scenarios: ${unknown.join(', ')} (known: ${ALL_SCENARIOS.join(', ')})`,
    );
  }
  const cpuProfDir = pick('cpu-prof', 'BENCH_CPU_PROF', '');
  const label = pick('label', 'BENCH_LABEL', '');
  return {
    durationSeconds: positiveNumber('duration', pick('duration', 'BENCH_DURATION', '10')),
    warmupSeconds: Number(pick('warmup', 'BENCH_WARMUP', '2')),
    connections: positiveInt('connections', pick('connections', 'BENCH_CONNECTIONS', '50')),
    rounds: positiveInt('rounds', pick('rounds', 'BENCH_ROUNDS', '3')),
    flags: positiveInt('flags', pick('flags', 'BENCH_FLAGS', '50')),
    sseClients: positiveInt('sse-clients', pick('sse-clients', 'BENCH_SSE_CLIENTS', '20000')),
    ssePerProcess: positiveInt(
      'sse-per-process',
      pick('sse-per-process', 'BENCH_SSE_PER_PROCESS', '5000'),
    ),
    envCounts: pick('envs', 'BENCH_ENVS', '1000,5000')
      .split(',')
      .map((n) => positiveInt('envs', n.trim())),
    scaleFlags: positiveInt('scale-flags', pick('scale-flags', 'BENCH_SCALE_FLAGS', '30')),
    scenarios: scenarios as ScenarioName[],
    output: pick('output', 'BENCH_OUTPUT', 'BENCHMARKS.md'),
    ...(cpuProfDir ? { cpuProfDir } : {}),
    ...(label ? { label } : {}),
  };
}
