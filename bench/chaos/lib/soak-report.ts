import type { Budget } from './budgets.js';
import { FD_SLACK } from './resources.js';
import { slope } from './regression.js';
import { budgetTable, machineLine } from './report.js';
import type { SoakResults } from './soak.js';
import { SOAK_SERIES, type SoakSample } from './soak-sampler.js';

const fixed = (n: number | undefined, digits = 1): string =>
  n === undefined ? '—' : n.toFixed(digits);

/** The samples the slopes use: those after the warm-up (all of them if that leaves fewer than 2). */
function measured(r: SoakResults): SoakSample[] {
  const after = r.samples.filter((s) => s.minute >= r.options.warmupMinutes);
  return after.length >= 2 ? after : r.samples;
}

/** Least-squares slope of a series per hour, in the series' unit. */
export function hourlySlope(
  samples: readonly SoakSample[],
  key: (typeof SOAK_SERIES)[number],
): number | undefined {
  const perMinute = slope(samples.map((s) => ({ x: s.minute, y: s[key.key] * key.scale })));
  return perMinute === undefined ? undefined : perMinute * 60;
}

/** What a soak must achieve; the slopes are shown, not judged (a trend needs the full hour). */
export function soakBudgets(r: SoakResults): Budget[] {
  const first = measured(r)[0];
  const last = r.samples.at(-1);
  const fdGrowth = first && last ? last.fds - first.fds : 0;
  return [
    {
      name: 'Failed SDK requests: 0',
      measured: `${r.countedFailures} of ${r.requests}`,
      met: r.countedFailures === 0,
    },
    {
      name: 'SDK apps that could not start their SDK: 0',
      measured: String(r.initFailures.length),
      met: r.initFailures.length === 0,
    },
    {
      name: 'SDKs stale after the last change: 0',
      measured:
        r.settling.seconds === undefined
          ? `${r.settling.stale.length} values stale after 90 s`
          : `0; every SDK had it after ${r.settling.seconds.toFixed(1)} s`,
      met: r.settling.seconds !== undefined,
    },
    {
      name: 'SDK metrics lost: 0',
      measured: `${r.metrics.lost} of ${r.metrics.posted} evaluations`,
      met: r.metrics.lost === 0,
    },
    {
      name: `Open fds after the warm-up grew by ≤ ${FD_SLACK}`,
      measured: String(fdGrowth),
      met: fdGrowth <= FD_SLACK,
    },
  ];
}

export function renderSoak(r: SoakResults, budgets: readonly Budget[]): string {
  const when = r.startedAt.replace('T', ' ').slice(0, 16);
  const o = r.options;
  const used = measured(r);
  const lines = [
    `## ${when} UTC — soak, ${o.minutes} min`,
    '',
    machineLine(r.machine),
    `Settings: one primary on Redis; ${o.sdks} Node SDKs holding streams, ${o.readers} readers (one request each ${o.readerIntervalMs} ms), ` +
      `SDK metrics posted every second, ${o.flags} flags, a flag change every ${o.changeEveryMs / 1000} s (${r.flagChanges} in all, seed ${o.seed}); ` +
      (r.streamMaxAge
        ? `SDK_STREAM_MAX_AGE=${r.streamMaxAge} (streams renewed by age). `
        : 'SDK_STREAM_MAX_AGE: not a setting of this relay (streams live as long as they last). ') +
      `Sampled every ${o.sampleSeconds} s; slopes by least squares over the ${used.length} samples after ${fixed(o.warmupMinutes)} min of warm-up.` +
      (o.minutes - o.warmupMinutes < 30
        ? " Over so few minutes a slope is mostly the garbage collector's saw-tooth: trends need 30 minutes or more."
        : ''),
    '',
    '### Budgets',
    '',
    ...budgetTable(budgets),
    '',
    '### Trends',
    '',
    '| Series | After warm-up | End | Min | Max | Slope per hour |',
    '|---|---:|---:|---:|---:|---:|',
    ...SOAK_SERIES.map((series) => {
      const values = used.map((s) => s[series.key] * series.scale);
      const unit = series.unit ? ` ${series.unit}` : '';
      const digits = series.unit === 'ms' ? 2 : 1;
      return (
        `| ${series.label} | ${fixed(values[0], digits)}${unit} | ${fixed(values.at(-1), digits)}${unit} | ` +
        `${fixed(Math.min(...values), digits)}${unit} | ${fixed(Math.max(...values), digits)}${unit} | ` +
        `${fixed(hourlySlope(used, series), digits)}${unit}/h |`
      );
    }),
    '',
    `SDK streams opened: ${r.samples.at(-1)?.streamsOpened ?? 0} for ${o.sdks} SDKs. ` +
      `${r.requests} SDK requests, ${r.absorbed} absorbed by one retry` +
      (r.failures.length > 0
        ? `; failures: ${r.failures.map((f) => `${f.kind} × ${f.count}`).join(', ')}.`
        : '; no failure.') +
      ` SDK metrics: ${r.metrics.posted} evaluations posted, ${r.metrics.received} received upstream.`,
    '',
  ];
  return lines.join('\n');
}
