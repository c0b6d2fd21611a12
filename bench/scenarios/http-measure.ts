import type { BenchEnvironment } from '../data/generate.js';
import { cpuSplitOf, RssSampler } from '../lib/children.js';
import type { IpcChild } from '../lib/ipc.js';
import type { BenchOptions } from '../lib/options.js';
import { monotonicUs, writeProfileWindow } from '../lib/profiling.js';
import type { Relay } from '../lib/relay.js';
import type { HttpRow, HttpRowId } from '../lib/results.js';
import type { LoadResult, LoadSpec } from '../workers/load.js';

/** What the HTTP rows of one round share. */
export interface Context {
  options: BenchOptions;
  load: IpcChild;
  env: BenchEnvironment;
  /** A 5-flag environment served beside `env` by the same relay and ceiling. */
  small: BenchEnvironment;
  workDir: string;
  rows: HttpRow[];
  log: (line: string) => void;
  /** Kept up for the whole scenario and measured again just before each feature-configs row. */
  ceiling?: IpcChild;
  ceilingSamples: number[];
}

/** A server under load; `profile` names its `--cpu-prof` output when this run is the profiled one. */
export interface Measured {
  pid: number;
  profile?: string;
}

/** Warm-up (not kept), then the measured run, sampling the server's RSS throughout. */
export async function measure(
  ctx: Context,
  id: HttpRowId,
  server: Measured,
  spec: Omit<LoadSpec, 'durationSeconds' | 'connections'>,
): Promise<HttpRow> {
  const full = { ...spec, connections: ctx.options.connections };
  const sampler = new RssSampler(server.pid);
  if (ctx.options.warmupSeconds > 0) {
    await ctx.load.call({
      cmd: 'run',
      spec: { ...full, durationSeconds: ctx.options.warmupSeconds },
    });
  }
  const measuredFrom = monotonicUs();
  const cpuBefore = cpuSplitOf(server.pid);
  const loadBefore = cpuSplitOf(ctx.load.pid).process;
  const result = await ctx.load.call<LoadResult>({
    cmd: 'run',
    spec: { ...full, durationSeconds: ctx.options.durationSeconds },
  });
  const cpuAfter = cpuSplitOf(server.pid);
  const loadCores =
    (cpuSplitOf(ctx.load.pid).process - loadBefore) / ((monotonicUs() - measuredFrom) / 1e6);
  const wallSeconds = (monotonicUs() - measuredFrom) / 1e6;
  const cores = {
    process: (cpuAfter.process - cpuBefore.process) / wallSeconds,
    mainThread: (cpuAfter.mainThread - cpuBefore.mainThread) / wallSeconds,
  };
  if (server.profile) {
    const units = { count: result.total, name: 'requests' } as const;
    await writeProfileWindow(
      ctx.options.cpuProfDir,
      server.profile,
      measuredFrom,
      monotonicUs(),
      units,
    );
  }
  const row: HttpRow = { id, result, peakRss: sampler.stop(), cores, loadCores };
  ctx.log(
    `  ${id}: ${Math.round(result.requestsPerSecond)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms` +
      (result.non2xx || result.errors ? `, ${result.non2xx} non-2xx, ${result.errors} errors` : ''),
  );
  return row;
}

/** Which ceiling row a feature-configs row is compared with, and how it is asked. */
export interface CeilingSpec {
  id: Extract<HttpRowId, 'ceiling' | 'ceilingGzip' | 'ceilingSmall'>;
  env: BenchEnvironment;
  headers?: Record<string, string>;
}

/**
 * The machine is shared and its speed drifts, so each feature-configs row is compared with the
 * ceiling measured right before it; the first run of each ceiling is the table's row for it.
 */
export async function measureAgainstCeiling(
  ctx: Context,
  id: HttpRowId,
  relay: Relay,
  spec: Omit<LoadSpec, 'durationSeconds' | 'connections'>,
  against: CeilingSpec = { id: 'ceiling', env: ctx.env },
): Promise<void> {
  if (!ctx.ceiling) {
    throw new Error('the ceiling server is not running');
  }
  const url = `http://127.0.0.1:${ctx.ceiling.port}${featureConfigsPath(against.env)}`;
  const first = !ctx.rows.some((row) => row.id === against.id);
  const profiled = first && against.id === 'ceiling';
  const server = { pid: ctx.ceiling.pid, ...(profiled ? { profile: 'ceiling' } : {}) };
  const ceiling = await measure(ctx, against.id, server, {
    url,
    ...(against.headers ? { headers: against.headers } : {}),
    variation: { kind: 'none' },
  });
  if (first) {
    ctx.rows.push(ceiling);
  }
  ctx.ceilingSamples.push(ceiling.result.requestsPerSecond);
  // One profile per relay process: the identity row's.
  const relayProfile = against.id === 'ceiling' ? { profile: relay.name } : {};
  const row = await measure(ctx, id, { pid: relay.pid, ...relayProfile }, spec);
  ctx.rows.push({ ...row, baseline: ceiling.result.requestsPerSecond });
}

export const featureConfigsPath = (env: BenchEnvironment): string =>
  `/client/env/${env.id}/feature-configs`;
