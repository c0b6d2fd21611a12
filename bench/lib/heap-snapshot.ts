import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { summariseHeapFile } from '../heap-summary.js';
import type { Relay } from './relay.js';
import { waitFor } from './wait.js';

/** Node flags that let {@link heapSummary} ask the process for a snapshot (none without a dir). */
export function heapSnapshotArgs(dir: string | undefined, name: string): string[] {
  return dir
    ? ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${join(dir, `.${name}-heap`)}`]
    : [];
}

/**
 * Has the relay write a heap snapshot of what it holds now, and keeps only its summary by
 * constructor as `<dir>/<name>.heap.md` (a snapshot is hundreds of MB).
 */
export async function heapSummary(dir: string | undefined, relay: Relay): Promise<void> {
  if (!dir) {
    return;
  }
  const own = join(dir, `.${relay.name}-heap`);
  await mkdir(own, { recursive: true });
  process.kill(relay.pid, 'SIGUSR2');
  const file = await waitFor(
    `${relay.name} to write a heap snapshot`,
    async () => {
      const files = (await readdir(own)).filter((f) => f.endsWith('.heapsnapshot'));
      const path = files[0] && join(own, files[0]);
      if (!path) {
        return undefined;
      }
      // Written once the process answers again: a request shows the snapshot is complete.
      const before = (await stat(path)).size;
      await fetch(`${relay.url}/livez`).then((r) => r.arrayBuffer());
      return before > 0 && (await stat(path)).size === before ? path : undefined;
    },
    120_000,
    250,
  );
  await writeFile(join(dir, `${relay.name}.heap.md`), `${await summariseHeapFile(file, 25)}\n`);
  await rm(own, { recursive: true, force: true });
}
