import { benchEnvironment } from '../data/generate.js';
import { memoryOf, openFds } from '../lib/children.js';
import { IpcChild } from '../lib/ipc.js';
import type { BenchOptions } from '../lib/options.js';
import { monotonicUs } from '../lib/profiling.js';
import { Relay } from '../lib/relay.js';
import type { SseResults } from '../lib/results.js';
import { sleep, waitFor } from '../lib/wait.js';
import { startEmulator } from '../servers/emulator-process.js';
import { readFileSync } from 'node:fs';

/** Descriptors the relay keeps for other things (listener, upstream, Redis, epoll…) to spare. */
const FD_HEADROOM = 16;

function fdHardLimit(pid: number): number {
  const limits = readFileSync(`/proc/${pid}/limits`, 'utf8');
  const match = /^Max open files\s+\d+\s+(\d+|unlimited)/m.exec(limits);
  return match?.[1] && match[1] !== 'unlimited' ? Number(match[1]) : Number.MAX_SAFE_INTEGER;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) {
    return Number.NaN;
  }
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}

async function streamConnected(relay: Relay): Promise<true | undefined> {
  const response = await fetch(`${relay.url}/health`);
  const body = (await response.json()) as { streamStatus?: { state?: string } };
  return body.streamStatus?.state === 'CONNECTED' ? true : undefined;
}

/**
 * Item 2: one primary (in-memory cache, fed by the emulator) holds as many SDK streams as asked
 * (or as its file-descriptor limit allows); one flag change upstream; the time until each stream
 * had the event, measured from the moment the emulator sent it.
 */
export async function runSse(
  options: BenchOptions,
  log: (line: string) => void,
): Promise<SseResults> {
  const env = benchEnvironment(0, options.flags);
  const emulator = await startEmulator(1, options.flags);
  const clients: IpcChild[] = [];
  let relay: Relay | undefined;
  try {
    relay = await Relay.start({
      name: 'primary-sse',
      env: {
        ...emulator.primaryEnv,
        AUTH_SECRET: 'bench-auth-secret',
      },
      ...(options.cpuProfDir ? { cpuProfDir: options.cpuProfDir } : {}),
    });
    await relay.ready();
    const ready = relay;
    await waitFor('the primary to hold its upstream stream', () => streamConnected(ready), 30_000);
    const token = await relay.token(env.sdkKey);
    const hardLimit = fdHardLimit(relay.pid);
    const inUse = openFds(relay.pid);
    const room = hardLimit - inUse - FD_HEADROOM;
    const requested = options.sseClients;
    const target = Math.min(requested, room);
    const limitNote =
      target < requested
        ? `the relay process may open ${hardLimit} files (hard \`ulimit -n\`, not raisable here) ` +
          `and had ${inUse} open before the streams (listener, upstream, epoll…); ${FD_HEADROOM} kept spare`
        : undefined;
    const processes = Math.ceil(target / options.ssePerProcess);
    for (let i = 0; i < processes; i++) {
      clients.push(await IpcChild.start('workers/sse-clients.ts', [], { raiseFdLimit: true }));
    }
    const rssBefore = memoryOf(relay.pid).rss;
    log(`  connecting ${target} SDK streams from ${processes} processes…`);
    const connectStart = Date.now();
    const shares = clients.map(
      (_, i) => Math.floor(target / processes) + (i < target % processes ? 1 : 0),
    );
    const counts = await Promise.all(
      clients.map((client, i) =>
        client.call<number>({
          cmd: 'connect',
          port: relay?.port,
          token,
          apiKey: env.sdkKey,
          count: shares[i],
          concurrency: 50,
        }),
      ),
    );
    const connectSeconds = (Date.now() - connectStart) / 1000;
    const held = counts.reduce((a, b) => a + b, 0);
    log(`  ${held} streams held after ${connectSeconds.toFixed(1)} s`);
    // Let the connection burst settle before the memory reading.
    await sleep(2_000);
    const rssHeld = memoryOf(relay.pid).rss;
    await Promise.all(clients.map((client) => client.call({ cmd: 'arm' })));
    const flag = env.flags[0]?.feature ?? '';
    const triggeredAt = monotonicUs();
    const sentAt = await emulator.child.call<number>({ cmd: 'toggle', env: env.id, flag });
    const collected = await Promise.all(
      clients.map((client) =>
        client.call<{ received: number[]; missing: number }>({ cmd: 'collect', timeoutMs: 30_000 }),
      ),
    );
    const latencies = collected
      .flatMap((c) => c.received.map((at) => at - sentAt))
      .sort((a, b) => a - b);
    const missing = collected.reduce((sum, c) => sum + c.missing, 0);
    // The last stream's wall-clock receipt, on the monotonic clock.
    const lastAt = monotonicUs() - (Date.now() - (sentAt + (latencies.at(-1) ?? 0))) * 1000;
    await relay.markProfileWindow(triggeredAt, lastAt, { count: held, name: 'streams' });
    const { hwm } = memoryOf(relay.pid);
    return {
      requested,
      held,
      ...(limitNote ? { limitNote } : {}),
      clientProcesses: processes,
      connectSeconds,
      received: latencies.length,
      missing,
      firstMs: latencies[0] ?? Number.NaN,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      maxMs: latencies.at(-1) ?? Number.NaN,
      rssBefore,
      rssHeld,
      peakRss: hwm,
      bytesPerConnection: held > 0 ? (rssHeld - rssBefore) / held : Number.NaN,
    };
  } finally {
    clients.forEach((client) => client.kill());
    await relay?.stop();
    emulator.child.kill();
  }
}
