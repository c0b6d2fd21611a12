/**
 * Summarises a V8 `.cpuprofile` (from `node --cpu-prof`, e.g. `npm run bench -- --cpu-prof dir`):
 * self time by function and by package, and inclusive time of the functions that matter.
 *   npx tsx bench/cpuprofile-summary.ts <file.cpuprofile> [--top 25] [--from-ms N] [--to-ms N]
 * A `<name>.window.json` next to the profile (written by the bench) limits it to the measured
 * work and counts what it served, so the summary also says how much CPU one request took.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type StageFrame, stageOf } from './lib/profile-stages.js';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

interface Window {
  /** CLOCK_MONOTONIC µs, like the profile's own `startTime`. */
  fromMonotonicUs?: number;
  toMonotonicUs?: number;
  /** What the window served: requests, or SDK streams that got an event. */
  units?: { count: number; name: string };
}

const BUILD_DIR = 'ff-relay-bench-build/';
const SPECIAL = new Set(['(idle)', '(program)', '(garbage collector)', '(root)']);

/** Where a function lives: our code (by file), a package, Node itself, or V8. */
function ownerOf(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (SPECIAL.has(functionName) || url === '') {
    return SPECIAL.has(functionName) ? functionName : '(native/V8)';
  }
  const build = url.indexOf(BUILD_DIR);
  if (build >= 0) {
    return `ff-relay ${url.slice(build + BUILD_DIR.length).replace(/\.js$/, '')}`;
  }
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const [first = '', second = ''] = url.slice(modules + 'node_modules/'.length).split('/');
    return first.startsWith('@') ? `${first}/${second}` : first;
  }
  return url.startsWith('node:') ? `node ${url.slice(5).split('/')[0] ?? ''}` : url;
}

const label = (frame: CallFrame): string => {
  const name = frame.functionName || '(anonymous)';
  return SPECIAL.has(name) ? name : `${name} — ${ownerOf(frame)}:${frame.lineNumber + 1}`;
};

interface Summary {
  busyUs: number;
  idleUs: number;
  self: Map<string, number>;
  owners: Map<string, number>;
  inclusive: Map<string, number>;
  stages: Map<string, number>;
}

function add(map: Map<string, number>, key: string, us: number): void {
  map.set(key, (map.get(key) ?? 0) + us);
}

/** Self and inclusive time (µs) per function label, within [fromUs, toUs] of profile time. */
function summarise(profile: CpuProfile, fromUs: number, toUs: number): Summary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    node.children?.forEach((child) => parent.set(child, node.id));
  }
  const summary: Summary = {
    busyUs: 0,
    idleUs: 0,
    self: new Map(),
    owners: new Map(),
    inclusive: new Map(),
    stages: new Map(),
  };
  let at = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    const node = byId.get(id);
    if (!node || at < fromUs || at > toUs) {
      return;
    }
    if (node.callFrame.functionName === '(idle)') {
      summary.idleUs += delta;
      return;
    }
    summary.busyUs += delta;
    add(summary.self, label(node.callFrame), delta);
    add(summary.owners, ownerOf(node.callFrame), delta);
    const seen = new Set<string>();
    const stack: StageFrame[] = [];
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const frame = byId.get(cur)?.callFrame;
      const key = frame ? label(frame) : '';
      if (frame && !seen.has(key)) {
        seen.add(key);
        add(summary.inclusive, key, delta);
      }
      if (frame) {
        stack.push({ functionName: frame.functionName, owner: ownerOf(frame) });
      }
    }
    add(summary.stages, stageOf(stack), delta);
  });
  return summary;
}

function table(
  title: string,
  map: Map<string, number>,
  busyUs: number,
  top: number,
  units?: Window['units'],
): string[] {
  const rows = [...map].sort((a, b) => b[1] - a[1]).slice(0, top);
  const each = units ? ` µs per ${units.name.replace(/s$/, '')} |` : '';
  return [
    `| ${title} | ms | % of busy |${each}`,
    `|---|---:|---:|${units ? '---:|' : ''}`,
    ...rows.map(
      ([key, us]) =>
        `| ${key} | ${(us / 1000).toFixed(0)} | ${((100 * us) / busyUs).toFixed(1)} |` +
        (units ? ` ${(us / units.count).toFixed(1)} |` : ''),
    ),
  ];
}

function readWindow(file: string): Window {
  try {
    return JSON.parse(
      readFileSync(file.replace(/\.cpuprofile$/, '.window.json'), 'utf8'),
    ) as Window;
  } catch {
    return {};
  }
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      top: { type: 'string', default: '25' },
      'from-ms': { type: 'string' },
      'to-ms': { type: 'string' },
    },
  });
  const [file] = positionals;
  if (!file) {
    throw new Error(
      'usage: cpuprofile-summary.ts <file.cpuprofile> [--top N] [--from-ms N] [--to-ms N]',
    );
  }
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const window = readWindow(file);
  // Milliseconds from the start of the profile.
  const relative = (us: number | undefined): number | undefined =>
    us === undefined ? undefined : Math.round((us - profile.startTime) / 1000);
  const fromMs = Number(values['from-ms'] ?? relative(window.fromMonotonicUs) ?? 0);
  const toMs = Number(
    values['to-ms'] ?? relative(window.toMonotonicUs) ?? Number.POSITIVE_INFINITY,
  );
  const top = Number(values.top);
  const s = summarise(profile, fromMs * 1000, toMs * 1000);
  const lines = [
    `## ${file}`,
    '',
    `Window ${fromMs}–${Number.isFinite(toMs) ? toMs : 'end'} ms: busy ${(s.busyUs / 1000).toFixed(0)} ms, ` +
      `idle ${(s.idleUs / 1000).toFixed(0)} ms` +
      (window.units
        ? `; ${window.units.count} ${window.units.name}, ${(s.busyUs / window.units.count).toFixed(1)} µs of CPU each`
        : '') +
      '.',
    '',
    ...table('Time by stage', s.stages, s.busyUs, top, window.units),
    '',
    ...table('Self time by function', s.self, s.busyUs, top),
    '',
    ...table('Self time by owner', s.owners, s.busyUs, top),
    '',
    ...table('Inclusive time by function', s.inclusive, s.busyUs, top * 2),
    '',
  ];
  console.log(lines.join('\n'));
}

main();
