import { mkdir, writeFile } from 'node:fs/promises';
import { get as httpGet } from 'node:http';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { type BenchEnvironment, benchEnvironment } from '../data/generate.js';
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
/** The small environment's flags: there the fixed cost per request is all that counts. */
const SMALL_FLAGS = 5;

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

/** Sizes of the feature-configs answers the ceiling serves, bytes. */
interface AnswerSizes {
  identity: number;
  gzip: number;
  small: number;
}

/**
 * The relay's answer as sent (`fetch` would decode gzip, so this reads the raw bytes), checked
 * to hold every flag, and written where the ceiling reads it.
 */
async function keepAnswer(
  ctx: Context,
  url: string,
  env: BenchEnvironment,
  headers: Record<string, string>,
  file: string,
): Promise<{ bytes: number; path: string }> {
  const { status, encoding, body } = await rawGet(url, headers);
  const json = encoding === 'gzip' ? gunzipSync(body) : body;
  const flags = (JSON.parse(json.toString()) as unknown[]).length;
  const wanted = headers['accept-encoding'] ? 'gzip' : undefined;
  if (status !== 200 || flags !== env.flags.length || encoding !== wanted) {
    throw new Error(`feature-configs answered ${status} (${encoding}) with ${flags} flags`);
  }
  const path = join(ctx.workDir, file);
  await writeFile(path, body);
  return { bytes: body.length, path };
}

async function ceilingAndFeatureConfigs(ctx: Context): Promise<AnswerSizes> {
  const relay = await offlineRelay(ctx, 'offline-feature-configs');
  try {
    const bearer = { authorization: `Bearer ${await relay.token(ctx.env.sdkKey)}` };
    const gzip = { ...bearer, 'accept-encoding': 'gzip' };
    const smallAuth = { authorization: `Bearer ${await relay.token(ctx.small.sdkKey)}` };
    const url = `${relay.url}${featureConfigsPath(ctx.env)}`;
    const smallUrl = `${relay.url}${featureConfigsPath(ctx.small)}`;
    const identity = await keepAnswer(ctx, url, ctx.env, bearer, 'feature-configs.json');
    const gzipped = await keepAnswer(ctx, url, ctx.env, gzip, 'feature-configs.json.gz');
    const small = await keepAnswer(ctx, smallUrl, ctx.small, smallAuth, 'small.json');
    ctx.ceiling = await IpcChild.start(
      'servers/ceiling.ts',
      [`${ctx.env.id}=${identity.path},${gzipped.path}`, `${ctx.small.id}=${small.path}`],
      { nodeArgs: threadedCpuProfArgs(ctx.options.cpuProfDir, 'ceiling') },
    );
    const none = { kind: 'none' } as const;
    await measureAgainstCeiling(ctx, 'featureConfigsMemory', relay, {
      url,
      headers: bearer,
      variation: none,
    });
    await measureAgainstCeiling(
      ctx,
      'featureConfigsGzip',
      relay,
      { url, headers: gzip, variation: none },
      { id: 'ceilingGzip', env: ctx.env, headers: { 'accept-encoding': 'gzip' } },
    );
    await measureAgainstCeiling(
      ctx,
      'featureConfigsSmall',
      relay,
      { url: smallUrl, headers: smallAuth, variation: none },
      { id: 'ceilingSmall', env: ctx.small },
    );
    return { identity: identity.bytes, gzip: gzipped.bytes, small: small.bytes };
  } finally {
    await relay.stop();
  }
}

function rawGet(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; encoding: string | undefined; body: Buffer }> {
  return new Promise((resolve, reject) => {
    httpGet(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          encoding: response.headers['content-encoding'],
          body: Buffer.concat(chunks),
        }),
      );
      response.on('error', reject);
    }).on('error', reject);
  });
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
  const small = benchEnvironment(1, SMALL_FLAGS);
  await mkdir(workDir, { recursive: true });
  await writeOfflineDir(join(workDir, 'offline'), [env, small]);
  const load = await IpcChild.start('workers/load.ts');
  const rounds: HttpRow[][] = [];
  const ceilingSamples: number[] = [];
  let sizes: AnswerSizes = { identity: 0, gzip: 0, small: 0 };
  try {
    for (let round = 1; round <= options.rounds; round++) {
      if (options.rounds > 1) {
        log(` round ${round} of ${options.rounds}`);
      }
      const ctx: Context = { options, load, env, small, workDir, rows: [], log, ceilingSamples };
      sizes = await runRound(ctx);
      rounds.push(ctx.rows);
    }
  } finally {
    load.kill();
  }
  return {
    rows: medianRows(rounds),
    featureConfigsBytes: sizes.identity,
    featureConfigsGzipBytes: sizes.gzip,
    smallFeatureConfigsBytes: sizes.small,
    ceilingSamples,
    rounds: options.rounds,
  };
}

/** Every row once; a profiled run keeps the last round's profiles. */
async function runRound(ctx: Context): Promise<AnswerSizes> {
  try {
    const sizes = await ceilingAndFeatureConfigs(ctx);
    // The peer right before the evaluations it is compared with.
    await peer(ctx);
    await evaluations(ctx);
    await auth(ctx);
    await redisRows(ctx);
    return sizes;
  } finally {
    await ctx.ceiling?.stop();
    await keepMainThreadProfile(ctx.options.cpuProfDir, 'ceiling');
  }
}
