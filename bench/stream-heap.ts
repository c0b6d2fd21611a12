/**
 * What one held SDK stream costs in the JS heap, by constructor: an offline relay (the compiled
 * one) is snapshotted, made to hold N `GET /stream` requests, and snapshotted again; the table is
 * the difference per stream. A snapshot collects garbage first, so only what the streams keep
 * alive is counted (RSS adds the socket's kernel and libuv memory, and heap slack).
 *   npx tsx bench/stream-heap.ts [--streams N] [--top N] [--keep <file.heapsnapshot>]
 */
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { EXAMPLE_CONFIG_DIR, PRODUCTION_SERVER_SDK_KEY } from '../test/support/example-config.js';
import { type HeapRow, summariseHeap } from './heap-summary.js';
import { heapSnapshotArgs } from './lib/heap-snapshot.js';
import { IpcChild } from './lib/ipc.js';
import { buildRelay, Relay } from './lib/relay.js';
import { sleep, waitFor } from './lib/wait.js';

type Summary = ReturnType<typeof summariseHeap>;

/** Has the relay write a snapshot into `dir` and summarises it (the file is removed). */
async function snapshot(relay: Relay, dir: string, keep?: string): Promise<Summary> {
  process.kill(relay.pid, 'SIGUSR2');
  const file = await waitFor(
    'the heap snapshot',
    async () => {
      const name = (await readdir(dir)).find((f) => f.endsWith('.heapsnapshot'));
      if (!name) {
        return undefined;
      }
      const path = join(dir, name);
      const before = (await stat(path)).size;
      // Written once the process answers again.
      await fetch(`${relay.url}/livez`).then((r) => r.arrayBuffer());
      return before > 0 && (await stat(path)).size === before ? path : undefined;
    },
    120_000,
    250,
  );
  const summary = summariseHeap(JSON.parse(await readFile(file, 'utf8')));
  await (keep ? rename(file, keep) : rm(file));
  return summary;
}

function diff(before: Summary, after: Summary, streams: number): HeapRow[] {
  const earlier = new Map(before.rows.map((row) => [row.name, row]));
  return after.rows
    .map((row) => ({
      name: row.name,
      count: (row.count - (earlier.get(row.name)?.count ?? 0)) / streams,
      bytes: (row.bytes - (earlier.get(row.name)?.bytes ?? 0)) / streams,
    }))
    .filter((row) => Math.abs(row.bytes) >= 1)
    .sort((a, b) => b.bytes - a.bytes);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { streams: { type: 'string' }, top: { type: 'string' }, keep: { type: 'string' } },
  });
  const streams = Number(values.streams ?? 2_000);
  const top = Number(values.top ?? 25);
  await buildRelay();
  const dir = await mkdtemp(join(tmpdir(), 'ff-relay-stream-heap-'));
  const snapshots = join(dir, '.stream-heap-heap');
  await mkdir(snapshots, { recursive: true });
  const relay = await Relay.start({
    name: 'stream-heap',
    env: { OFFLINE: 'true', CONFIG_DIR: EXAMPLE_CONFIG_DIR, AUTH_SECRET: 'stream-heap-secret' },
    nodeArgs: heapSnapshotArgs(dir, 'stream-heap'),
  });
  const client = await IpcChild.start('workers/sse-clients.ts', [], { raiseFdLimit: true });
  try {
    await relay.ready();
    const token = await relay.token(PRODUCTION_SERVER_SDK_KEY);
    // One stream first, so what the first one sets up once is not counted per stream.
    const call = (count: number) =>
      client.call<number>({
        cmd: 'connect',
        port: relay.port,
        token,
        apiKey: PRODUCTION_SERVER_SDK_KEY,
        count,
        concurrency: 50,
      });
    await call(1);
    await sleep(1_000);
    const before = await snapshot(relay, snapshots);
    const held = await call(streams);
    await sleep(2_000);
    const after = await snapshot(relay, snapshots, values.keep);
    const rows = diff(before, after, held);
    const perStream = (after.total - before.total) / held;
    console.log(
      `${held} streams: ${perStream.toFixed(0)} B of live JS heap each (RSS adds the socket's kernel and libuv memory)\n`,
    );
    console.log('| Constructor or type | per stream | bytes |\n|---|---:|---:|');
    for (const row of rows.slice(0, top)) {
      console.log(
        `| ${row.name.replace(/\|/g, '\\|')} | ${row.count.toFixed(2)} | ${row.bytes.toFixed(0)} |`,
      );
    }
  } finally {
    client.kill();
    await relay.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
