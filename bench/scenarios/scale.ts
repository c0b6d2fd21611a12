import { benchEnvironment } from '../data/generate.js';
import { cpuSecondsOf, RssSampler } from '../lib/children.js';
import { heapSnapshotArgs, heapSummary } from '../lib/heap-snapshot.js';
import type { BenchOptions } from '../lib/options.js';
import { monotonicUs } from '../lib/profiling.js';
import { Relay } from '../lib/relay.js';
import type { ScaleRow } from '../lib/results.js';
import { waitFor } from '../lib/wait.js';
import { startEmulator } from '../servers/emulator-process.js';
import { BenchRedis } from '../servers/redis.js';

const AUTH_SECRET = 'bench-auth-secret';

/**
 * From process start until the environment's feature-configs answer holds every flag: auth with
 * its SDK key is retried until the relay knows the key, then the flags are polled.
 */
async function timeUntilServed(
  relay: Relay,
  env: { id: string; sdkKey: string },
  flags: number,
): Promise<number> {
  let token: string | undefined;
  await waitFor(
    `${relay.name} to serve environment ${env.id}`,
    async () => {
      if (relay.node.child.exitCode !== null) {
        throw new Error(`${relay.name} exited:\n${relay.node.output()}`);
      }
      token ??= await relay.token(env.sdkKey).catch(() => undefined);
      if (!token) {
        return undefined;
      }
      const response = await fetch(`${relay.url}/client/env/${env.id}/feature-configs`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const body = response.status === 200 ? ((await response.json()) as unknown[]) : [];
      return body.length === flags ? true : undefined;
    },
    120_000,
    25,
  );
  return (Date.now() - relay.startedAt) / 1000;
}

async function measure(
  name: string,
  env: Record<string, string>,
  last: { id: string; sdkKey: string },
  flags: number,
  cpuProfDir: string | undefined,
): Promise<{ relay: Relay; readySeconds: number; cpuSeconds: number; peakRss: number }> {
  const relay = await Relay.start({
    name,
    env,
    ...(cpuProfDir ? { cpuProfDir } : {}),
    nodeArgs: heapSnapshotArgs(cpuProfDir, name),
  });
  const sampler = new RssSampler(relay.pid, 50);
  const readySeconds = await timeUntilServed(relay, last, flags);
  const cpuSeconds = cpuSecondsOf(relay.pid);
  await relay.markProfileWindow(undefined, monotonicUs());
  const peakRss = sampler.stop();
  // After the measurement: what the relay holds once it serves everything.
  await heapSummary(cpuProfDir, relay);
  return { relay, readySeconds, cpuSeconds, peakRss };
}

/**
 * Item 3: N environments × F flags served by the emulator (paged `/proxy/config`); how long a
 * primary takes to serve the last one, then a replica reading what the primary left in Redis.
 * Like the HTTP rows, each count is measured `--rounds` times and reported by its median round
 * (by the primary's ready time): one load is a few seconds of a noisy machine.
 */
export async function runScale(
  options: BenchOptions,
  log: (line: string) => void,
): Promise<ScaleRow[]> {
  const rows: ScaleRow[] = [];
  for (const environments of options.envCounts) {
    const rounds: ScaleRow[][] = [];
    for (let round = 0; round < options.rounds; round++) {
      // A profiled run keeps the last round's profiles.
      const profiled = round === options.rounds - 1 ? options.cpuProfDir : undefined;
      rounds.push(await scaleRound(environments, options.scaleFlags, profiled, log));
    }
    const byPrimary = [...rounds].sort((a, b) => readyOf(a) - readyOf(b));
    const median = byPrimary[Math.floor((byPrimary.length - 1) / 2)] ?? [];
    for (const row of median) {
      const readyRounds = rounds.map(
        (r) => r.find((x) => x.role === row.role)?.readySeconds ?? Number.NaN,
      );
      rows.push({ ...row, readyRounds });
    }
  }
  return rows;
}

const readyOf = (round: ScaleRow[]): number =>
  round.find((row) => row.role === 'primary')?.readySeconds ?? Number.POSITIVE_INFINITY;

/** One primary load of N environments, then a replica reading what it left in Redis. */
async function scaleRound(
  environments: number,
  flags: number,
  cpuProfDir: string | undefined,
  log: (line: string) => void,
): Promise<ScaleRow[]> {
  const rows: ScaleRow[] = [];
  const last = benchEnvironment(environments - 1, flags);
  const redis = await BenchRedis.start();
  const emulator = await startEmulator(environments, flags);
  const relays: Relay[] = [];
  try {
    const common = { REDIS_ADDRESS: redis.address, AUTH_SECRET };
    const primary = await measure(
      `primary-scale-${environments}`,
      {
        ...common,
        ...emulator.primaryEnv,
      },
      last,
      flags,
      cpuProfDir,
    );
    relays.push(primary.relay);
    rows.push({
      environments,
      flags,
      role: 'primary',
      readySeconds: primary.readySeconds,
      cpuSeconds: primary.cpuSeconds,
      peakRss: primary.peakRss,
    });
    log(
      `  ${environments} envs, primary: ${primary.readySeconds.toFixed(2)} s, ${mib(primary.peakRss)} MiB`,
    );
    const replica = await measure(
      `replica-scale-${environments}`,
      { ...common, READ_REPLICA: 'true' },
      last,
      flags,
      cpuProfDir,
    );
    relays.push(replica.relay);
    rows.push({
      environments,
      flags,
      role: 'replica',
      readySeconds: replica.readySeconds,
      cpuSeconds: replica.cpuSeconds,
      peakRss: replica.peakRss,
    });
    log(
      `  ${environments} envs, replica: ${replica.readySeconds.toFixed(2)} s, ${mib(replica.peakRss)} MiB`,
    );
  } finally {
    await Promise.all(relays.map((relay) => relay.stop()));
    emulator.child.kill();
    await redis.stop();
  }
  return rows;
}

const mib = (bytes: number): string => (bytes / 1024 / 1024).toFixed(0);
