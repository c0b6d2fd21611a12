import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { benchEnvironment } from '../data/generate.js';
import { writeOfflineDir } from '../data/offline-dir.js';
import { unleashBootstrap } from '../data/unleash.js';
import { IpcChild } from '../lib/ipc.js';
import type { BenchOptions } from '../lib/options.js';
import { keepMainThreadProfile, threadedCpuProfArgs } from '../lib/profiling.js';
import { Relay } from '../lib/relay.js';
import type { HttpResults, HttpRow } from '../lib/results.js';
import { medianRows } from '../lib/rounds.js';
import { waitFor } from '../lib/wait.js';
import { startEmulator } from '../servers/emulator-process.js';
import { BenchRedis } from '../servers/redis.js';
import {
  type Context,
  featureConfigsPath,
  measure,
  measureAgainstCeiling,
} from './http-measure.js';

const PEER_CLIENT_KEY = 'bench-unleash-client-key';
const AUTH_SECRET = 'bench-auth-secret';

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
    ctx.ceiling = await IpcChild.start('servers/ceiling.ts', [bodyFile], {
      nodeArgs: threadedCpuProfArgs(ctx.options.cpuProfDir, 'ceiling'),
    });
    const url = `${relay.url}${featureConfigsPath(ctx.env)}`;
    await measureAgainstCeiling(ctx, 'featureConfigsMemory', relay, {
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
    const row = await measure(
      ctx,
      'evaluations',
      { pid: relay.pid, profile: relay.name },
      {
        url: relay.url,
        headers,
        variation: {
          kind: 'harness-target',
          pathTemplate: `/client/env/${ctx.env.id}/target/{id}/evaluations`,
        },
      },
    );
    // Compared with the peer measured just before it, in this round.
    const peerRow = ctx.rows.find((r) => r.id === 'peer');
    ctx.rows.push({ ...row, ...(peerRow ? { baseline: peerRow.result.requestsPerSecond } : {}) });
  } finally {
    await relay.stop();
  }
}

async function auth(ctx: Context): Promise<void> {
  const relay = await offlineRelay(ctx, 'offline-auth');
  try {
    ctx.rows.push(
      await measure(
        ctx,
        'auth',
        { pid: relay.pid, profile: relay.name },
        {
          url: `${relay.url}/client/auth`,
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          // What server SDKs send; the JS client adds its target.
          body: JSON.stringify({ apiKey: ctx.env.sdkKey }),
          variation: { kind: 'none' },
        },
      ),
    );
  } finally {
    await relay.stop();
  }
}

async function peer(ctx: Context): Promise<void> {
  const file = join(ctx.workDir, 'unleash-bootstrap.json');
  await writeFile(file, JSON.stringify(unleashBootstrap(ctx.env)));
  const server = await IpcChild.start('servers/peer.ts', [file, PEER_CLIENT_KEY], {
    nodeArgs: threadedCpuProfArgs(ctx.options.cpuProfDir, 'peer'),
    env: {
      UNLEASH_FETCH_INTERVAL: '0',
      UNLEASH_METRICS_INTERVAL: '0',
      ENABLE_ALL_ENDPOINT: 'true',
      LOG_LEVEL: 'fatal',
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
    ctx.rows.push(
      await measure(
        ctx,
        'peer',
        { pid: server.pid, profile: 'peer' },
        {
          url,
          headers: { authorization: PEER_CLIENT_KEY },
          variation: { kind: 'unleash-context', path: '/proxy/all' },
        },
      ),
    );
  } finally {
    await server.stop();
    await keepMainThreadProfile(ctx.options.cpuProfDir, 'peer');
  }
}

/** The same environment served through the emulator into Redis, read by a primary and a replica. */
async function redisRows(ctx: Context): Promise<void> {
  const redis = await BenchRedis.start();
  const emulator = await startEmulator(1, ctx.options.flags);
  const relays: Relay[] = [];
  try {
    const common = { REDIS_ADDRESS: redis.address, AUTH_SECRET };
    const primary = await Relay.start({
      name: 'primary-feature-configs',
      env: {
        ...common,
        ...emulator.primaryEnv,
      },
      ...(ctx.options.cpuProfDir ? { cpuProfDir: ctx.options.cpuProfDir } : {}),
    });
    relays.push(primary);
    await primary.ready();
    const url = `${primary.url}${featureConfigsPath(ctx.env)}`;
    const headers = { authorization: `Bearer ${await primary.token(ctx.env.sdkKey)}` };
    await measureAgainstCeiling(ctx, 'featureConfigsPrimary', primary, {
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
    await measureAgainstCeiling(ctx, 'featureConfigsReplica', replica, {
      url: `${replica.url}${featureConfigsPath(ctx.env)}`,
      headers: { authorization: `Bearer ${await replica.token(ctx.env.sdkKey)}` },
      variation: { kind: 'none' },
    });
  } finally {
    await Promise.all(relays.map((relay) => relay.stop()));
    emulator.child.kill();
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
  const rounds: HttpRow[][] = [];
  const ceilingSamples: number[] = [];
  let featureConfigsBytes = 0;
  try {
    for (let round = 1; round <= options.rounds; round++) {
      if (options.rounds > 1) {
        log(` round ${round} of ${options.rounds}`);
      }
      const ctx: Context = { options, load, env, workDir, rows: [], log, ceilingSamples };
      featureConfigsBytes = await runRound(ctx);
      rounds.push(ctx.rows);
    }
  } finally {
    load.kill();
  }
  return { rows: medianRows(rounds), featureConfigsBytes, ceilingSamples, rounds: options.rounds };
}

/** Every row once; a profiled run keeps the last round's profiles. */
async function runRound(ctx: Context): Promise<number> {
  try {
    const featureConfigsBytes = await ceilingAndFeatureConfigs(ctx);
    // The peer right before the evaluations it is compared with.
    await peer(ctx);
    await evaluations(ctx);
    await auth(ctx);
    await redisRows(ctx);
    return featureConfigsBytes;
  } finally {
    await ctx.ceiling?.stop();
    await keepMainThreadProfile(ctx.options.cpuProfDir, 'ceiling');
  }
}
