import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { benchEnvironment, type BenchEnvironment } from '../data/generate.js';
import { writeOfflineDir } from '../data/offline-dir.js';
import { unleashBootstrap } from '../data/unleash.js';
import { RssSampler } from '../lib/children.js';
import { IpcChild } from '../lib/ipc.js';
import type { BenchOptions } from '../lib/options.js';
import { Relay } from '../lib/relay.js';
import type { HttpResults, HttpRow, HttpRowId } from '../lib/results.js';
import { BENCH_PROXY_KEY } from '../servers/emulator-key.js';
import { BenchRedis } from '../servers/redis.js';
import type { LoadResult, LoadSpec } from '../workers/load.js';
import { waitFor } from '../lib/wait.js';

const PEER_CLIENT_KEY = 'bench-unleash-client-key';
const AUTH_SECRET = 'bench-auth-secret';

interface Context {
  options: BenchOptions;
  load: IpcChild;
  env: BenchEnvironment;
  workDir: string;
  rows: HttpRow[];
  log: (line: string) => void;
}

/** Warm-up (not kept), then the measured run, sampling the server's RSS throughout. */
async function measure(
  ctx: Context,
  id: HttpRowId,
  pid: number,
  spec: Omit<LoadSpec, 'durationSeconds' | 'connections'>,
): Promise<void> {
  const full = { ...spec, connections: ctx.options.connections };
  const sampler = new RssSampler(pid);
  if (ctx.options.warmupSeconds > 0) {
    await ctx.load.call({
      cmd: 'run',
      spec: { ...full, durationSeconds: ctx.options.warmupSeconds },
    });
  }
  const result = await ctx.load.call<LoadResult>({
    cmd: 'run',
    spec: { ...full, durationSeconds: ctx.options.durationSeconds },
  });
  const row = { id, result, peakRss: sampler.stop() };
  ctx.rows.push(row);
  ctx.log(
    `  ${id}: ${Math.round(result.requestsPerSecond)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms` +
      (result.non2xx || result.errors ? `, ${result.non2xx} non-2xx, ${result.errors} errors` : ''),
  );
}

const featureConfigsPath = (env: BenchEnvironment): string =>
  `/client/env/${env.id}/feature-configs`;

/** An offline relay of its own for one row, so its RSS and profile are that row's alone. */
async function offlineRelay(ctx: Context, name: string): Promise<Relay> {
  const relay = await Relay.start({
    name,
    env: { OFFLINE: 'true', CONFIG_DIR: join(ctx.workDir, 'offline'), AUTH_SECRET },
    ...(ctx.options.cpuProfDir ? { cpuProfDir: ctx.options.cpuProfDir } : {}),
  });
  await relay.ready();
  return relay;
}

async function ceilingAndFeatureConfigs(ctx: Context): Promise<number> {
  const relay = await offlineRelay(ctx, 'offline-feature-configs');
  try {
    const token = await relay.token(ctx.env.sdkKey);
    const headers = { authorization: `Bearer ${token}` };
    const response = await fetch(`${relay.url}${featureConfigsPath(ctx.env)}`, { headers });
    const body = Buffer.from(await response.arrayBuffer());
    const flags = (JSON.parse(body.toString()) as unknown[]).length;
    if (response.status !== 200 || flags !== ctx.env.flags.length) {
      throw new Error(`feature-configs answered ${response.status} with ${flags} flags`);
    }
    const bodyFile = join(ctx.workDir, 'feature-configs.json');
    await writeFile(bodyFile, body);
    const ceiling = await IpcChild.start('servers/ceiling.ts', [bodyFile]);
    try {
      const url = `http://127.0.0.1:${ceiling.port}${featureConfigsPath(ctx.env)}`;
      await measure(ctx, 'ceiling', ceiling.pid, { url, variation: { kind: 'none' } });
    } finally {
      ceiling.kill();
    }
    const url = `${relay.url}${featureConfigsPath(ctx.env)}`;
    await measure(ctx, 'featureConfigsMemory', relay.pid, {
      url,
      headers,
      variation: { kind: 'none' },
    });
    return body.length;
  } finally {
    await relay.stop();
  }
}

async function evaluations(ctx: Context): Promise<void> {
  const relay = await offlineRelay(ctx, 'offline-evaluations');
  try {
    const headers = { authorization: `Bearer ${await relay.token(ctx.env.sdkKey)}` };
    await measure(ctx, 'evaluations', relay.pid, {
      url: relay.url,
      headers,
      variation: {
        kind: 'harness-target',
        pathTemplate: `/client/env/${ctx.env.id}/target/{id}/evaluations`,
      },
    });
  } finally {
    await relay.stop();
  }
}

async function auth(ctx: Context): Promise<void> {
  const relay = await offlineRelay(ctx, 'offline-auth');
  try {
    await measure(ctx, 'auth', relay.pid, {
      url: `${relay.url}/client/auth`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      // What server SDKs send; the JS client adds its target.
      body: JSON.stringify({ apiKey: ctx.env.sdkKey }),
      variation: { kind: 'none' },
    });
  } finally {
    await relay.stop();
  }
}

async function peer(ctx: Context): Promise<void> {
  const file = join(ctx.workDir, 'unleash-bootstrap.json');
  await writeFile(file, JSON.stringify(unleashBootstrap(ctx.env)));
  const server = await IpcChild.start('servers/peer.ts', [file, PEER_CLIENT_KEY], {
    env: {
      UNLEASH_FETCH_INTERVAL: '0',
      UNLEASH_METRICS_INTERVAL: '0',
      ENABLE_ALL_ENDPOINT: 'true',
    },
  });
  try {
    const url = `http://127.0.0.1:${server.port}`;
    // Ready once the bootstrap file is loaded (503 until then).
    await waitFor(
      'the peer to be ready',
      async () => ((await fetch(`${url}/proxy/health`)).status === 200 ? true : undefined),
      30_000,
    );
    const check = await fetch(`${url}/proxy/all?userId=u1`, {
      headers: { authorization: PEER_CLIENT_KEY },
    });
    const toggles = ((await check.json()) as { toggles?: unknown[] }).toggles?.length;
    if (check.status !== 200 || toggles !== ctx.env.flags.length) {
      throw new Error(`peer /proxy/all answered ${check.status} with ${toggles} toggles`);
    }
    await measure(ctx, 'peer', server.pid, {
      url,
      headers: { authorization: PEER_CLIENT_KEY },
      variation: { kind: 'unleash-context', path: '/proxy/all' },
    });
  } finally {
    server.kill();
  }
}

/** The same environment served through the emulator into Redis, read by a primary and a replica. */
async function redisRows(ctx: Context): Promise<void> {
  const redis = await BenchRedis.start();
  const emulator = await IpcChild.start('servers/emulator.ts', ['1', String(ctx.options.flags)]);
  const relays: Relay[] = [];
  try {
    const common = { REDIS_ADDRESS: redis.address, AUTH_SECRET };
    const primary = await Relay.start({
      name: 'primary-feature-configs',
      env: {
        ...common,
        PROXY_KEY: BENCH_PROXY_KEY,
        CLIENT_SERVICE: emulator.ready.info?.url ?? '',
        METRIC_SERVICE: emulator.ready.info?.metricsUrl ?? '',
      },
      ...(ctx.options.cpuProfDir ? { cpuProfDir: ctx.options.cpuProfDir } : {}),
    });
    relays.push(primary);
    await primary.ready();
    const url = `${primary.url}${featureConfigsPath(ctx.env)}`;
    const headers = { authorization: `Bearer ${await primary.token(ctx.env.sdkKey)}` };
    await measure(ctx, 'featureConfigsPrimary', primary.pid, {
      url,
      headers,
      variation: { kind: 'none' },
    });
    const replica = await Relay.start({
      name: 'replica-feature-configs',
      env: { ...common, READ_REPLICA: 'true' },
      ...(ctx.options.cpuProfDir ? { cpuProfDir: ctx.options.cpuProfDir } : {}),
    });
    relays.push(replica);
    await replica.ready();
    await measure(ctx, 'featureConfigsReplica', replica.pid, {
      url: `${replica.url}${featureConfigsPath(ctx.env)}`,
      headers: { authorization: `Bearer ${await replica.token(ctx.env.sdkKey)}` },
      variation: { kind: 'none' },
    });
  } finally {
    await Promise.all(relays.map((relay) => relay.stop()));
    emulator.kill();
    await redis.stop();
  }
}

/** Item 1: every HTTP row, one after the other, each server in its own process. */
export async function runHttp(
  options: BenchOptions,
  workDir: string,
  log: (line: string) => void,
): Promise<HttpResults> {
  const env = benchEnvironment(0, options.flags);
  await mkdir(workDir, { recursive: true });
  await writeOfflineDir(join(workDir, 'offline'), [env]);
  const load = await IpcChild.start('workers/load.ts');
  const ctx: Context = { options, load, env, workDir, rows: [], log };
  try {
    const featureConfigsBytes = await ceilingAndFeatureConfigs(ctx);
    await peer(ctx);
    await evaluations(ctx);
    await auth(ctx);
    await redisRows(ctx);
    return { rows: ctx.rows, featureConfigsBytes };
  } finally {
    load.kill();
  }
}
