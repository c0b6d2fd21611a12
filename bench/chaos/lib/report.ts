import { appendFile, readFile, writeFile } from 'node:fs/promises';
import type { MachineInfo } from '../../lib/machine.js';
import type { Budget } from './budgets.js';
import type { ChaosResults } from './chaos.js';
import type { ResourceSample } from './relay-process.js';

const HEADER = `# Reliability

Each \`npm run chaos\` or \`npm run soak\` appends one section below: the machine, the commit and the
settings, then what the run did and what it measured. Runs share the machine with other work, so
times are indicative; counts (failed requests, stale SDKs, lost metrics) are not.

* **Chaos** (\`npm run chaos\`, about 6 minutes; \`-- --short\` is the 2-minute variant CI runs as
  \`test/e2e/chaos-smoke.e2e-spec.ts\`; \`--help\` for the options). A primary and two read replicas
  (the compiled relay, a process each) on a private redis-server, with the upstream emulator,
  behind a TCP balancer whose backends are the instances that are up (as a Service's endpoints:
  a killed instance leaves them, a started one joins once healthy, a rolling restart takes it out
  before SIGTERM). Steady SDK traffic through the balancer: readers (auth, feature-configs,
  evaluations in turn), unmodified Node SDKs holding streams, SDK metrics posts, and new apps
  starting all along, each with an SDK key no instance was asked about yet. Meanwhile a scripted
  sequence of overlapping faults runs and flags keep changing upstream. The operator does what
  the docs say: answers "try again" are tried again, SDK apps are restarted after a "0s"
  SDK-token secret rotation, and a proxy key lost half-way is replaced in the primary's Secret.
  Budgets: no failed SDK request — a 503 \`CACHE_UNAVAILABLE\` (what an instance never saw while
  its cache was out) and a 401 for a token of a secret revoked at once are listed but allowed;
  a request that got no answer (cut by a stopped instance) is retried up to 3 times within 2 s, as SDKs do — no SDK
  app unable to start, no SDK stale once the last fault settled, no SDK metrics lost (the
  primary is stopped gracefully at the end: its shutdown flush sends what it holds), no Admin
  API call left half-done, no fd leak. \`npm run chaos\` exits 1 when a budget is broken.
* **Soak** (\`npm run soak\`, 1 hour by default, \`--minutes N\`): one primary under steady load,
  sampled every minute (RSS and open fds from /proc, heap and event-loop delay from its
  \`/metrics\`); the slopes (least squares, per hour, after the warm-up) tell a leak from noise.
`;

export const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

export function machineLine(machine: MachineInfo): string {
  return (
    `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB RAM; ` +
    `Node ${machine.node}; commit ${machine.commit}.`
  );
}

export function budgetTable(budgets: readonly Budget[]): string[] {
  return [
    '| Budget | Measured | Met |',
    '|---|---|---|',
    ...budgets.map((b) => `| ${b.name} | ${cell(b.measured)} | ${b.met ? 'yes' : '**no**'} |`),
  ];
}

const cell = (text: string): string => text.replaceAll('|', '\\|').replaceAll('\n', ' ');
const sample = (s: ResourceSample | undefined): string => (s ? `${mib(s.rss)} / ${s.fds}` : '—');
const clock = (ms: number, from: number): string => ((ms - from) / 1000).toFixed(0);

export function renderChaos(r: ChaosResults, budgets: readonly Budget[]): string {
  const when = r.startedAt.replace('T', ' ').slice(0, 16);
  const from = r.sequenceStarted;
  const o = r.options;
  const lines = [
    `## ${when} UTC — chaos${o.short ? ' (short)' : ''}`,
    '',
    machineLine(r.machine),
    `Settings: ${o.sdks} Node SDKs and ${o.readers} readers (one request each ${o.readerIntervalMs} ms) through the balancer, ` +
      `SDK metrics posted every second, ${o.flags} flags, a flag change every ${o.changeEveryMs / 1000} s ` +
      `(${r.flagChanges} in all, seed ${o.seed}), primary UPSTREAM_POLL_INTERVAL=${o.pollIntervalSeconds} s, other settings at their defaults.`,
    '',
    '### Budgets',
    '',
    ...budgetTable(budgets),
    '',
    '### Sequence',
    '',
    '| At | Step | Took | Faults under way after it | Note |',
    '|---:|---|---:|---|---|',
    ...r.steps.map(
      (s) =>
        `| ${s.startedAt.toFixed(1)} s | ${cell(s.name)} | ${s.tookSeconds.toFixed(1)} s | ${s.faults} | ${cell(s.note)} |`,
    ),
    '',
    `Settling (no more changes, from the end of the last step): ${r.settling.seconds === undefined ? '**not settled**' : `every SDK served the upstream's values after ${r.settling.seconds.toFixed(1)} s`}; ` +
      r.settling.instances
        .map(
          (i) =>
            `${i.name} ${i.seconds === undefined ? `still behind (${i.behind})` : `at the upstream's versions after ${i.seconds.toFixed(1)} s`}`,
        )
        .join(', ') +
      '.',
    ...(r.settling.stale.length > 0
      ? [
          '',
          `Stale values: ${r.settling.stale
            .slice(0, 8)
            .map((v) => `${v.sdk} ${v.flag} ${String(v.got)} (upstream: ${String(v.expected)})`)
            .join('; ')}.`,
        ]
      : []),
    '',
    `The primary's upstream stream (its \`/health\`, asked every second): ` +
      r.primaryStream
        .map((c) => `${((c.at - r.sequenceStarted) / 1000).toFixed(0)} s ${c.state}`)
        .join(' → ') +
      '.',
    '',
    '### SDK requests',
    '',
    `${r.requests} requests from the readers, the metrics posts and ${r.newcomers} apps that started during the run, ` +
      `each with an SDK key no instance had been asked about (one every ${o.newcomerEveryMs / 1000} s); ` +
      `${r.absorbed} got no answer at first (connection cut by a stopped instance) and an answer when tried again (up to 3 times within 2 s).`,
    '',
    '| Failure | Counted | Count | Routes | During | First – last (s after the first step) |',
    '|---|---|---:|---|---|---|',
    ...r.failures.map(
      (f) =>
        `| ${cell(f.kind)} | ${f.counted ? 'yes' : 'no'} | ${f.count} | ${f.routes.join(', ')} | ${cell(f.phases.join('; '))} | ${clock(f.first, from)} – ${clock(f.last, from)} |`,
    ),
    ...(r.failures.length === 0 ? ['| none | | 0 | | | |'] : []),
    '',
    ...r.failures.map((f) => `* ${cell(f.kind)}, e.g. ${cell(f.example)}`),
    ...(r.sdks.initFailures.length > 0
      ? ['', `SDK apps that could not start: ${r.sdks.initFailures.slice(0, 6).join('; ')}.`]
      : []),
    '',
    `Admin API: ${r.adminActions.map((a) => `${a.name} → ${a.status} (${a.outcome}: ${a.note})`).join('; ') || 'no call'}. ` +
      `SDK apps restarted ${r.sdks.restarts} time(s). Upstream calls by replicas: ${r.replicaUpstreamCalls}.`,
    ...r.events.map((event) => `* ${event}`),
    '',
    `SDK metrics: ${r.metrics.batches} batches (${r.metrics.posted} evaluations) taken by the relays, ${r.metrics.received} received upstream, ` +
      `${r.metrics.lost} lost, ${r.metrics.duplicated} received twice; ${r.metrics.retried ?? 0} posts answered 503 were posted again, as the Node SDK does.` +
      (r.metrics.lostBatches > 0
        ? ` Lost batches by what was under way when a relay took them: ${Object.entries(
            r.metrics.lostDuring,
          )
            .map(([phase, n]) => `${phase} ${n}`)
            .join(', ')}. First lost: ${r.metrics.lostExamples.join(', ')}.`
        : ''),
    '',
    '### Relays: RSS / open fds',
    '',
    '| Relay | Processes | First start | Last start | At rest, end |',
    '|---|---:|---:|---:|---:|',
    ...r.relays.map(
      (x) =>
        `| ${x.name} | ${x.incarnations} | ${sample(x.first)} | ${sample(x.lastStart)} | ${sample(x.end)} |`,
    ),
    '',
    `The primary's health at the end: \`${cell(r.primaryHealth)}\``,
    '',
  ];
  return lines.join('\n');
}

/** Appends the section; a new file starts with the header that says how to read it. */
export async function appendSection(file: string, section: string): Promise<void> {
  const existing = await readFile(file, 'utf8').catch(() => undefined);
  if (existing === undefined) {
    await writeFile(file, `${HEADER}\n${section}`);
  } else {
    await appendFile(file, `${existing.endsWith('\n') ? '' : '\n'}\n${section}`);
  }
}
