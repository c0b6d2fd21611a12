import type { ChaosResults } from './chaos.js';
import { FD_SLACK, leaksFds } from './resources.js';

export interface Budget {
  name: string;
  measured: string;
  met: boolean;
}

const s = (seconds: number | undefined): string =>
  seconds === undefined ? '—' : `${seconds.toFixed(1)} s`;

/** What a fault run must achieve; any budget not met makes `npm run chaos` exit 1. */
export function chaosBudgets(r: ChaosResults): Budget[] {
  const failedSteps = r.steps.filter((step) => step.note.startsWith('step failed'));
  const broken = r.adminActions.filter((action) => action.outcome === 'broken');
  const leaking = r.relays.filter(leaksFds);
  const stale = new Set(r.settling.stale.map((v) => v.sdk));
  return [
    {
      name: 'Every fault step ran (restarts became healthy)',
      measured:
        failedSteps.length === 0
          ? `${r.steps.length} of ${r.steps.length}`
          : failedSteps.map((f) => f.name).join('; '),
      met: failedSteps.length === 0,
    },
    {
      name: 'Failed SDK requests: 0 (a 503 for what an instance never saw allowed)',
      measured: `${r.countedFailures} of ${r.requests}`,
      met: r.countedFailures === 0,
    },
    {
      name: 'SDK apps that could not start their SDK: 0',
      measured: String(r.sdks.initFailures.length),
      met: r.sdks.initFailures.length === 0,
    },
    {
      name: 'SDKs stale once the last fault settled: 0',
      measured:
        r.settling.seconds === undefined
          ? `${stale.size} of ${r.sdks.count} (${r.settling.stale.length} values) after ${s(r.options.settleTimeoutMs / 1000)}`
          : `0 of ${r.sdks.count}, settled in ${s(r.settling.seconds)}`,
      met: r.settling.seconds !== undefined && r.settling.stale.length === 0,
    },
    {
      name: 'SDK metrics lost: 0',
      measured: `${r.metrics.lost} of ${r.metrics.posted} evaluations (${r.metrics.lostBatches} of ${r.metrics.batches} batches)`,
      met: r.metrics.lost === 0,
    },
    {
      name: 'Admin API calls left half-done: 0',
      measured: broken.length === 0 ? '0' : broken.map((a) => `${a.name}: ${a.note}`).join('; '),
      met: broken.length === 0,
    },
    {
      name: `Open fds at rest ≤ the last start's + ${FD_SLACK}`,
      measured:
        leaking.length === 0 ? 'all relays' : `over: ${leaking.map((l) => l.name).join(', ')}`,
      met: leaking.length === 0,
    },
  ];
}
