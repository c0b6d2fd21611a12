import { type ChildProcess, spawn, type StdioOptions } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The repository root (bench/ sits right under it). */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const children = new Set<ChildProcess>();
const tempDirs = new Set<string>();

/** A temporary directory removed with the children, however the bench ends. */
export function trackDir(dir: string): string {
  tempDirs.add(dir);
  return dir;
}

/**
 * Every process the bench starts goes through here, so that a failure, Ctrl-C or SIGTERM
 * kills all of them (servers, redis-servers, load generators) and none outlives the run.
 */
export function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

export function killAll(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
    }
  }
  children.clear();
  for (const dir of tempDirs) {
    rmSync(dir, { recursive: true, force: true });
  }
  tempDirs.clear();
}

let installed = false;

/** Kill every child when the bench ends, however it ends. */
export function installCleanup(): void {
  if (installed) {
    return;
  }
  installed = true;
  process.once('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killAll();
      process.exit(130);
    });
  }
}

export interface SpawnOptions {
  env?: Record<string, string>;
  /** Raise the soft open-files limit to the hard one first (`ulimit -n`, per process). */
  raiseFdLimit?: boolean;
  /** Node flags, e.g. `--cpu-prof`. */
  nodeArgs?: string[];
  /** Run a TypeScript file through tsx's loader (the harness' own servers and workers). */
  typescript?: boolean;
  /** Keep stdout/stderr here (default) or show them. */
  stdio?: 'capture' | 'inherit';
  ipc?: boolean;
  /** Start from an empty environment (PATH only) instead of this process' one. */
  cleanEnv?: boolean;
}

export interface NodeChild {
  child: ChildProcess;
  pid: number;
  output(): string;
  exited: Promise<number | null>;
}

/**
 * Starts `node <script>` in a process of its own. With `raiseFdLimit` it goes through bash so
 * that `ulimit -n` applies to it alone; `exec` keeps the pid, so RSS sampling sees node.
 */
export function startNode(script: string, args: string[], options: SpawnOptions = {}): NodeChild {
  const nodeArgs = [
    ...(options.typescript ? ['--import', 'tsx'] : []),
    ...(options.nodeArgs ?? []),
  ];
  const argv = [...nodeArgs, script, ...args];
  const stdio: StdioOptions = [
    'ignore',
    options.stdio === 'inherit' ? 'inherit' : 'pipe',
    options.stdio === 'inherit' ? 'inherit' : 'pipe',
    ...(options.ipc ? (['ipc'] as const) : []),
  ];
  const base = options.cleanEnv ? { PATH: process.env.PATH ?? '' } : process.env;
  const env = { ...base, ...options.env };
  const child = options.raiseFdLimit
    ? spawn(
        'bash',
        ['-c', 'ulimit -n "$(ulimit -Hn)"; exec "$@"', 'bash', process.execPath, ...argv],
        {
          cwd: ROOT,
          env,
          stdio,
        },
      )
    : spawn(process.execPath, argv, { cwd: ROOT, env, stdio });
  track(child);
  let out = '';
  const keep = (chunk: Buffer): void => {
    // Only the tail matters, for error messages.
    out = (out + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  if (child.pid === undefined) {
    throw new Error(`could not start ${script}`);
  }
  return { child, pid: child.pid, output: () => out, exited };
}

/** Stops a child gracefully (SIGTERM, so `--cpu-prof` can write its profile), then for sure. */
export async function stopChild(node: NodeChild, graceMs = 5_000): Promise<void> {
  if (node.child.exitCode !== null || node.child.signalCode !== null) {
    return;
  }
  node.child.kill('SIGTERM');
  const timer = setTimeout(() => node.child.kill('SIGKILL'), graceMs);
  await node.exited;
  clearTimeout(timer);
}

/** Resident set size now and its peak (`VmHWM`), in bytes, from /proc (Linux). */
export function memoryOf(pid: number): { rss: number; hwm: number } {
  let status = '';
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return { rss: 0, hwm: 0 };
  }
  const kib = (field: string): number => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    return match ? Number(match[1]) * 1024 : 0;
  };
  return { rss: kib('VmRSS'), hwm: kib('VmHWM') };
}

/** Samples a process' RSS while something runs; `peak()` is the highest seen. */
export class RssSampler {
  private max = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly pid: number,
    intervalMs = 100,
  ) {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  stop(): number {
    clearInterval(this.timer);
    this.sample();
    return this.max;
  }

  private sample(): void {
    this.max = Math.max(this.max, memoryOf(this.pid).rss);
  }
}

/** CPU seconds (user + system) a process has used so far; 0 once it is gone. */
export function cpuSecondsOf(pid: number): number {
  return cpuSecondsIn(`/proc/${pid}/stat`);
}

/**
 * CPU seconds of a process and of its main thread alone (the one running JavaScript; the others
 * are V8's collector helpers, libuv's pool and the like): how much of a core a process uses
 * beyond its event loop.
 */
export function cpuSplitOf(pid: number): { process: number; mainThread: number } {
  return { process: cpuSecondsOf(pid), mainThread: cpuSecondsIn(`/proc/${pid}/task/${pid}/stat`) };
}

function cpuSecondsIn(statFile: string): number {
  try {
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = readFileSync(statFile, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** The open file descriptors of a process. */
export function openFds(pid: number): number {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return 0;
  }
}
