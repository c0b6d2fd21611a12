import { appendFile, readFile, writeFile } from 'node:fs/promises';
import type { MachineInfo } from './machine.js';
import type { BenchOptions } from './options.js';
import {
  type BenchResults,
  HTTP_ROWS,
  type HttpResults,
  type HttpRow,
  type HttpRowId,
  type ScaleRow,
  type SseResults,
} from './results.js';

const HEADER = `# Benchmarks

Each \`npm run bench\` appends one section below: the machine, the Node version, the commit measured
and the settings, then three tables. Figures from one run are comparable with each other (every
server ran on the same machine in the same minutes), not with other runs: the machine may be shared
and noisy, which is why the HTTP rows are read as **ratios** against two baselines measured in the
same run.

* **Requests** (autocannon in a process of its own, one server process at a time): requests/s, latency
  p50/p99 and the server's peak RSS; each row is the median of several rounds (\`--rounds\`). *vs ceiling* = ours ÷ a bare Fastify route returning exactly
  our feature-configs bytes (what Node can do on this machine); *vs peer* = ours ÷ \`@unleash/proxy\`
  evaluating the same 50 flags (translated to Unleash toggles) on \`/proxy/all\`. Both evaluation rows
  use a new target for every request, so nothing is served from a per-target memo.
* **SSE fan-out**: SDK streams held by one primary, one flag change upstream, the time from the
  emulator sending the change until each stream had the event.
* **Scale**: N environments × 30 flags served by the upstream emulator (paged \`/proxy/config\`): from
  process start until the last environment's feature-configs answers with every flag; since round 2
  each count is loaded once per round and the median round is shown.

All processes share the machine: the load generator and the SSE clients take CPU from the server
they measure, and on 2 cores the ceiling is partly bounded by autocannon itself.

Run it: \`npm run bench\` (about 10 minutes; it needs \`redis-server\` on the PATH, as the e2e tests do),
or \`npm run bench -- --help\` for the options, e.g. \`npm run bench -- --scenarios http --duration 5\`.
\`--cpu-prof <dir>\` profiles every server process (relays, ceiling, peer) and \`npx tsx bench/cpuprofile-summary.ts <file>\`
summarises a profile (time by stage, by function and by package, CPU per request).
`;

const mib = (bytes: number): string => (bytes / 1024 / 1024).toFixed(0);
const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const ratio = (a: number | undefined, b: number | undefined): string =>
  a !== undefined && b !== undefined && b > 0 ? `${(a / b).toFixed(2)}×` : '—';
const ms = (n: number): string => (Number.isFinite(n) ? `${Math.round(n)} ms` : '—');

/** Which baseline each row is compared with. */
const COMPARED: Record<HttpRowId, { ceiling: boolean; peer: boolean }> = {
  ceiling: { ceiling: false, peer: false },
  featureConfigsMemory: { ceiling: true, peer: false },
  ceilingGzip: { ceiling: false, peer: false },
  featureConfigsGzip: { ceiling: true, peer: false },
  ceilingSmall: { ceiling: false, peer: false },
  featureConfigsSmall: { ceiling: true, peer: false },
  featureConfigsPrimary: { ceiling: true, peer: false },
  featureConfigsReplica: { ceiling: true, peer: false },
  evaluations: { ceiling: false, peer: true },
  peer: { ceiling: false, peer: false },
  auth: { ceiling: false, peer: false },
};

export function rpsOf(http: HttpResults | undefined, id: HttpRowId): number | undefined {
  return http?.rows.find((row) => row.id === id)?.result.requestsPerSecond;
}

const coresOf = (row: HttpRow): string =>
  row.cores ? `${row.cores.process.toFixed(2)} (${row.cores.mainThread.toFixed(2)})` : '—';

function httpTable(http: HttpResults): string[] {
  const ceiling = rpsOf(http, 'ceiling');
  const peer = rpsOf(http, 'peer');
  const lines = [
    '| Scenario | req/s | p50 | p99 | peak RSS | server CPU | load CPU | bytes/answer | vs ceiling | vs peer | errors |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const row of http.rows) {
    const { result } = row;
    const compared = COMPARED[row.id];
    lines.push(
      `| ${HTTP_ROWS[row.id]} | ${int(result.requestsPerSecond)} | ${result.p50} ms | ${result.p99} ms | ` +
        `${mib(row.peakRss)} MiB | ${coresOf(row)} | ${row.loadCores === undefined ? '—' : row.loadCores.toFixed(2)} | ${result.bytesPerAnswer ? int(result.bytesPerAnswer) : '—'} | ${compared.ceiling ? ratio(result.requestsPerSecond, row.baseline ?? ceiling) : '—'} | ` +
        `${compared.peer ? ratio(result.requestsPerSecond, row.baseline ?? peer) : '—'} | ${result.non2xx + result.errors} |`,
    );
  }
  lines.push(
    '',
    `server CPU: cores the server process used while measured (its main thread's in brackets: the one ` +
      `that runs JavaScript; the rest is V8's collector helpers and libuv). ` +
      `load CPU: cores autocannon's process used meanwhile; near 1.00 it, not the server, was the ` +
      `limit (the server then shows idle time). ` +
      `bytes/answer: received per answer, headers included. ` +
      `Each ceiling row serves the very bytes of the relay row below it (for gzip, the relay's own gzip answer). ` +
      `The ceiling was measured again right before each feature-configs row ` +
      `(${http.ceilingSamples.map(int).join(', ')} req/s) and the peer right before the evaluations; ` +
      `each ratio uses the baseline measured next to it.`,
  );
  if (http.rounds > 1) {
    const spread = http.rows
      .filter((row) => row.baseline && row.scores)
      .map(
        (row) => `${HTTP_ROWS[row.id]}: ${(row.scores ?? []).map((r) => r.toFixed(2)).join(' / ')}`,
      );
    lines.push(
      '',
      `${http.rounds} rounds; each row is its median round (by ratio, else by req/s). Ratios per round: ${spread.join('; ')}.`,
    );
  }
  return lines;
}

function sseTable(sse: SseResults): string[] {
  const lines = [
    '| Streams held (asked) | Client processes | Connected in | Got the event | first | p50 | p99 | max | RSS before → holding | Per stream |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    `| ${int(sse.held)} (${int(sse.requested)}) | ${sse.clientProcesses} | ${sse.connectSeconds.toFixed(1)} s | ` +
      `${int(sse.received)}${sse.missing ? ` (${int(sse.missing)} missed)` : ''} | ${ms(sse.firstMs)} | ${ms(sse.p50Ms)} | ${ms(sse.p99Ms)} | ` +
      `${ms(sse.maxMs)} | ${mib(sse.rssBefore)} → ${mib(sse.rssHeld)} MiB (peak ${mib(sse.peakRss)}) | ` +
      `${(sse.bytesPerConnection / 1024).toFixed(1)} KiB |`,
  ];
  if (sse.limitNote) {
    lines.push('', `Fewer streams than asked: ${sse.limitNote}.`);
  }
  return lines;
}

const instance = (row: ScaleRow): string =>
  row.role === 'primary' ? 'primary (emulator → Redis)' : 'replica (from Redis)';

function scaleTable(rows: ScaleRow[]): string[] {
  const lines = [
    '| Environments × flags | Instance | Serves the last environment after | Relay CPU until then | Peak RSS |',
    '|---|---|---:|---:|---:|',
    ...rows.map(
      (row) =>
        `| ${int(row.environments)} × ${row.flags} | ${instance(row)} | ` +
        `${row.readySeconds.toFixed(2)} s | ${row.cpuSeconds === undefined ? '—' : `${row.cpuSeconds.toFixed(2)} s`} | ${mib(row.peakRss)} MiB |`,
    ),
  ];
  const rounds = rows.filter((row) => (row.readyRounds?.length ?? 0) > 1);
  if (rounds.length > 0) {
    lines.push(
      '',
      `${rounds[0]?.readyRounds?.length} rounds; each row is the median round of its primary. Ready times per round: ` +
        rounds
          .map(
            (row) =>
              `${int(row.environments)}, ${row.role}: ${(row.readyRounds ?? []).map((s) => s.toFixed(2)).join(' / ')} s`,
          )
          .join('; ') +
        '.',
    );
  }
  return lines;
}

interface Target {
  name: string;
  measured: string;
  met: boolean | undefined;
  /** Said next to "yes" when the target is met only with a qualification. */
  caveat?: string;
}

function targets(results: BenchResults): Target[] {
  const list: Target[] = [];
  const { http, sse, scale } = results;
  if (http) {
    const fc = rpsOf(http, 'featureConfigsMemory');
    const ceiling =
      http.rows.find((row) => row.id === 'featureConfigsMemory')?.baseline ??
      rpsOf(http, 'ceiling');
    const ev = rpsOf(http, 'evaluations');
    const peer = http.rows.find((row) => row.id === 'evaluations')?.baseline ?? rpsOf(http, 'peer');
    list.push({
      name: '`feature-configs` ≥ 0.75× the bare-Fastify ceiling (in-memory)',
      measured: ratio(fc, ceiling),
      met: fc !== undefined && ceiling ? fc / ceiling >= 0.75 : undefined,
    });
    list.push({
      name: '`evaluations` ≥ 8× the peer',
      measured: ratio(ev, peer),
      met: ev !== undefined && peer ? ev / peer >= 8 : undefined,
    });
  }
  if (sse) {
    list.push({
      name: '20,000 SSE clients, change delivered to all in < 1 s (p99), < 1 GB RSS',
      measured: `${int(sse.held)} held, ${int(sse.received)} got it, p99 ${ms(sse.p99Ms)}, max ${ms(sse.maxMs)}, peak ${mib(sse.peakRss)} MiB`,
      met: sse.missing === 0 && sse.p99Ms < 1000 && sse.peakRss < 1e9,
      ...(sse.held < 20_000
        ? { caveat: `for the ${int(sse.held)} streams one process can hold here` }
        : {}),
    });
  }
  // Issue 20: a primary at 5,000 environments must fit a pod well inside the 1 GiB writers get.
  const MIB_600 = 600 * 1024 * 1024;
  for (const [environments, limit] of [
    [1000, 3],
    [5000, 10],
  ] as const) {
    const rows = scale?.filter((row) => row.environments === environments) ?? [];
    if (rows.length > 0) {
      list.push({
        name: `${int(environments)} environments ready in < ${limit} s, peak RSS < 600 MiB`,
        measured: rows
          .map((r) => `${r.role} ${r.readySeconds.toFixed(2)} s / ${mib(r.peakRss)} MiB`)
          .join('; '),
        met: rows.every((r) => r.readySeconds < limit && r.peakRss < MIB_600),
      });
    }
  }
  return list;
}

function sizing(results: BenchResults, cores: number): string[] {
  const { http, sse } = results;
  const notes: string[] = [];
  const fc = rpsOf(http, 'featureConfigsMemory');
  const ev = rpsOf(http, 'evaluations');
  const auth = rpsOf(http, 'auth');
  if (fc !== undefined && ev !== undefined && auth !== undefined) {
    notes.push(
      `One relay process uses one core for JavaScript (the load generator had the other of the ${cores}). ` +
        `Per core: ${int(fc)} feature-configs polls/s (server SDKs poll every 60 s, so about ${int(fc * 60)} ` +
        `polling server SDKs), ${int(ev)} evaluations/s for new targets, ${int(auth)} SDK authentications/s.`,
    );
  }
  if (sse && sse.held > 0) {
    notes.push(
      `SDK streams: ${int(sse.held)} held by one process at ${(sse.bytesPerConnection / 1024).toFixed(1)} KiB each ` +
        `(${int(1e9 / Math.max(1, sse.bytesPerConnection))} per GB beyond the base); the file-descriptor limit ` +
        `(\`ulimit -n\`) is the first bound: raise it above the streams you expect plus ~100.`,
    );
  }
  return notes;
}

export function renderSection(
  results: BenchResults,
  machine: MachineInfo,
  options: BenchOptions,
  startedAt: Date,
): string {
  const when = startedAt.toISOString().replace('T', ' ').slice(0, 16);
  const lines = [
    `## ${when} UTC${options.label ? ` — ${options.label}` : ''}`,
    '',
    `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB RAM; Node ${machine.node}; ` +
      `commit ${machine.commit}.`,
    `Settings: ${options.durationSeconds} s measured per row after ${options.warmupSeconds} s warm-up, ` +
      `median of ${options.rounds} round${options.rounds > 1 ? 's' : ''}, ` +
      `${options.connections} connections, ${options.flags} flags` +
      (results.http
        ? ` (feature-configs answer: ${int(results.http.featureConfigsBytes)} bytes` +
          (results.http.featureConfigsGzipBytes
            ? `, ${int(results.http.featureConfigsGzipBytes)} gzipped; 5-flag environment ${int(results.http.smallFeatureConfigsBytes ?? 0)} bytes)`
            : ')')
        : '') +
      `; SSE ${int(options.sseClients)} streams asked; scale ${options.envCounts.map(int).join(' and ')} environments × ${options.scaleFlags} flags.`,
    '',
  ];
  if (results.http) {
    lines.push('### Requests', '', ...httpTable(results.http), '');
  }
  if (results.sse) {
    lines.push('### SSE fan-out', '', ...sseTable(results.sse), '');
  }
  if (results.scale) {
    lines.push('### Scale', '', ...scaleTable(results.scale), '');
  }
  const list = targets(results);
  if (list.length > 0) {
    lines.push('### Targets', '', '| Target | Measured | Met |', '|---|---|---|');
    for (const target of list) {
      const met = target.met ? `yes${target.caveat ? `, ${target.caveat}` : ''}` : '**no**';
      lines.push(
        `| ${target.name} | ${target.measured} | ${target.met === undefined ? '—' : met} |`,
      );
    }
    lines.push('');
  }
  const notes = sizing(results, machine.cores);
  if (notes.length > 0) {
    lines.push('### Sizing', '', ...notes.map((note) => `* ${note}`), '');
  }
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
