import { parseArgs } from 'node:util';

export interface ChaosOptions {
  short: boolean;
  /** Node SDKs holding streams through the balancer. */
  sdks: number;
  /** Steady readers (auth, feature-configs, evaluations in turn). */
  readers: number;
  readerIntervalMs: number;
  /** A new app, with an SDK key no instance was asked about yet, every this often. */
  newcomerEveryMs: number;
  /** SDK keys kept for those apps. */
  newcomerKeys: number;
  flags: number;
  /** A flag changes upstream this often while the faults run. */
  changeEveryMs: number;
  /** UPSTREAM_POLL_INTERVAL of the primary, seconds. */
  pollIntervalSeconds: number;
  /** How long SDKs get to match the upstream once the last fault is over. */
  settleTimeoutMs: number;
  seed: number;
  output: string;
  /** Also write the figures as JSON here (the CI smoke test reads them). */
  json?: string;
  logDir?: string;
}

export const CHAOS_USAGE = `npm run chaos -- [options]
  --short               the ~2-minute CI variant: compressed sequence, fewer clients
  --sdks <n>            Node SDKs streaming through the balancer (6; short 3)
  --readers <n>         steady readers (4; short 2)
  --flags <n>           flags in the environment (12; short 6)
  --poll-interval <s>   UPSTREAM_POLL_INTERVAL of the primary (60, the default; short 5)
  --seed <n>            seed of the flag changes (1)
  --output <file>       Markdown file to append to (RELIABILITY.md)
  --json <file>         also write the figures as JSON
  --logs <dir>          keep each relay's log there (default: a temporary directory, removed)`;

const positiveInt = (name: string, value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) {
    throw new Error(`--${name} must be a positive integer, got "${value}"`);
  }
  return n;
};

export function parseChaosOptions(argv: string[]): ChaosOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      short: { type: 'boolean' },
      sdks: { type: 'string' },
      readers: { type: 'string' },
      flags: { type: 'string' },
      'poll-interval': { type: 'string' },
      seed: { type: 'string' },
      output: { type: 'string' },
      json: { type: 'string' },
      logs: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(CHAOS_USAGE);
    process.exit(0);
  }
  const short = values.short ?? false;
  const int = (
    name: 'sdks' | 'readers' | 'flags' | 'poll-interval' | 'seed',
    full: number,
    s: number,
  ) => positiveInt(name, values[name] ?? String(short ? s : full));
  return {
    short,
    sdks: int('sdks', 6, 3),
    readers: int('readers', 4, 2),
    readerIntervalMs: 100,
    newcomerEveryMs: short ? 1_000 : 2_000,
    newcomerKeys: short ? 60 : 100,
    flags: int('flags', 12, 6),
    changeEveryMs: short ? 1_000 : 2_000,
    pollIntervalSeconds: int('poll-interval', 60, 5),
    settleTimeoutMs: short ? 90_000 : 180_000,
    seed: int('seed', 1, 1),
    output: values.output ?? 'RELIABILITY.md',
    ...(values.json ? { json: values.json } : {}),
    ...(values.logs ? { logDir: values.logs } : {}),
  };
}
