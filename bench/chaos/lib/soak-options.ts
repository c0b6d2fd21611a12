import { parseArgs } from 'node:util';

export interface SoakOptions {
  minutes: number;
  /** Samples before this are shown but left out of the slopes. */
  warmupMinutes: number;
  sampleSeconds: number;
  sdks: number;
  readers: number;
  readerIntervalMs: number;
  flags: number;
  changeEveryMs: number;
  /** SDK_STREAM_MAX_AGE, when the relay has that setting. */
  streamMaxAge: string;
  seed: number;
  output: string;
  json?: string;
  logDir?: string;
}

export const SOAK_USAGE = `npm run soak -- [options]
  --minutes <n>          how long the load runs (60)
  --warmup-minutes <n>   left out of the slopes (10, at most a quarter of the run)
  --sample-seconds <n>   sampling period (60)
  --sdks <n>             Node SDKs holding streams (4)
  --readers <n>          steady readers (2)
  --stream-max-age <d>   SDK_STREAM_MAX_AGE, if the relay has it (5m)
  --seed <n>             seed of the flag changes (1)
  --output <file>        Markdown file to append to (RELIABILITY.md)
  --json <file>          also write the figures as JSON
  --logs <dir>           keep the relay's log there`;

const positive = (name: string, value: string): number => {
  const n = Number(value);
  if (!(n > 0)) {
    throw new Error(`--${name} must be a positive number, got "${value}"`);
  }
  return n;
};

export function parseSoakOptions(argv: string[]): SoakOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      minutes: { type: 'string' },
      'warmup-minutes': { type: 'string' },
      'sample-seconds': { type: 'string' },
      sdks: { type: 'string' },
      readers: { type: 'string' },
      'stream-max-age': { type: 'string' },
      seed: { type: 'string' },
      output: { type: 'string' },
      json: { type: 'string' },
      logs: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(SOAK_USAGE);
    process.exit(0);
  }
  const minutes = positive('minutes', values.minutes ?? '60');
  const warmup = values['warmup-minutes'];
  return {
    minutes,
    warmupMinutes: warmup === undefined ? Math.min(10, minutes / 4) : Number(warmup),
    sampleSeconds: positive('sample-seconds', values['sample-seconds'] ?? '60'),
    sdks: positive('sdks', values.sdks ?? '4'),
    readers: positive('readers', values.readers ?? '2'),
    readerIntervalMs: 100,
    flags: 12,
    changeEveryMs: 10_000,
    streamMaxAge: values['stream-max-age'] ?? '5m',
    seed: positive('seed', values.seed ?? '1'),
    output: values.output ?? 'RELIABILITY.md',
    ...(values.json ? { json: values.json } : {}),
    ...(values.logs ? { logDir: values.logs } : {}),
  };
}
