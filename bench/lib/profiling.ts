import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** CLOCK_MONOTONIC in µs: the clock of `process.hrtime` and of V8's profile timestamps. */
export const monotonicUs = (): number => Number(process.hrtime.bigint() / 1000n);

/** Node flags that write `<dir>/<name>.cpuprofile` when the process exits (none without a dir). */
export function cpuProfArgs(dir: string | undefined, name: string): string[] {
  return dir ? ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-name', `${name}.cpuprofile`] : [];
}

/**
 * For a process run through tsx: its loader runs in a worker thread, which writes a profile of
 * its own, so each goes to a directory of the process' own ({@link keepMainThreadProfile}).
 */
export function threadedCpuProfArgs(dir: string | undefined, name: string): string[] {
  return dir ? ['--cpu-prof', '--cpu-prof-dir', join(dir, `.${name}`)] : [];
}

/** Keeps the main thread's profile (the largest) as `<dir>/<name>.cpuprofile`. */
export async function keepMainThreadProfile(dir: string | undefined, name: string): Promise<void> {
  if (!dir) {
    return;
  }
  const own = join(dir, `.${name}`);
  const files = (await readdir(own).catch(() => [])).filter((f) => f.endsWith('.cpuprofile'));
  const sized = await Promise.all(
    files.map(async (file) => ({ file, size: (await stat(join(own, file))).size })),
  );
  const main = sized.sort((a, b) => b.size - a.size)[0];
  if (main) {
    await rename(join(own, main.file), join(dir, `${name}.cpuprofile`));
  }
  await rm(own, { recursive: true, force: true });
}

export interface ProfileUnits {
  count: number;
  name: 'requests' | 'streams';
}

/**
 * When profiling: which part of `<name>.cpuprofile` is the measured work (the profile also holds
 * the boot and any warm-up; `fromUs` undefined means from its start) and how many requests or
 * streams it served, for `cpuprofile-summary.ts`.
 */
export async function writeProfileWindow(
  dir: string | undefined,
  name: string,
  fromUs: number | undefined,
  toUs: number,
  units?: ProfileUnits,
): Promise<void> {
  if (!dir) {
    return;
  }
  const window = { fromMonotonicUs: fromUs, toMonotonicUs: toUs, units };
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, `${name}.window.json`), JSON.stringify(window));
}
