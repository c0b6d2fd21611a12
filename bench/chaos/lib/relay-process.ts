import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { memoryOf, openFds, ROOT, track } from '../../lib/children.js';
import { waitFor } from '../../lib/wait.js';

/** Where the chaos and soak harnesses compile the relay (see `buildRelay`). */
export const CHAOS_BUILD = join(ROOT, 'node_modules/.cache/ff-relay-chaos-build');

export interface ResourceSample {
  incarnation: number;
  label: string;
  at: number;
  rss: number;
  fds: number;
}

/**
 * One relay process (primary or replica) of the compiled `main.js`, on a port that stays the
 * same across restarts (the balancer and the other processes keep pointing at it). Its output
 * goes to a log file per incarnation, so a long run keeps nothing in this process' memory.
 */
export class RelayProcess {
  /** 1 for the first start, +1 for each restart. */
  incarnation = 0;
  readonly samples: ResourceSample[] = [];
  private child?: ChildProcess;
  private exited?: Promise<void>;

  constructor(
    readonly name: string,
    readonly port: number,
    private env: Record<string, string>,
    private readonly logDir: string,
    private readonly buildDir = CHAOS_BUILD,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.running ? this.child?.pid : undefined;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && !this.child.signalCode;
  }

  get logFile(): string {
    return join(this.logDir, `${this.name}-${this.incarnation}.log`);
  }

  /** Changes the environment of the next start (as an operator editing a Secret would). */
  setEnv(overrides: Record<string, string>): void {
    this.env = { ...this.env, ...overrides };
  }

  /** Starts the next incarnation and waits for `/health` to answer 200. */
  async start(timeoutMs = 60_000): Promise<void> {
    this.incarnation += 1;
    const log = openSync(this.logFile, 'a');
    const child = spawn(process.execPath, [join(this.buildDir, 'main.js')], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...this.env, PORT: String(this.port) },
      stdio: ['ignore', log, log],
    });
    closeSync(log);
    track(child);
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    await waitFor(
      `${this.name} to become healthy`,
      async () => {
        if (child.exitCode !== null) {
          throw new Error(`${this.name} exited with ${child.exitCode}; see ${this.logFile}`);
        }
        const response = await fetch(`${this.url}/health`);
        await response.arrayBuffer();
        return response.status === 200 ? true : undefined;
      },
      timeoutMs,
      100,
    );
    this.sample('start');
  }

  /** SIGKILL: a crashed or evicted pod. */
  async kill(): Promise<void> {
    if (this.running) {
      this.child?.kill('SIGKILL');
      await this.exited;
    }
  }

  /** SIGTERM and the process' end: a graceful stop, with its shutdown flush. */
  async stop(): Promise<number | null | undefined> {
    if (this.running) {
      this.child?.kill('SIGTERM');
      await this.exited;
    }
    return this.child?.exitCode;
  }

  /** RSS and open file descriptors now, recorded under `label`. */
  sample(label: string): ResourceSample | undefined {
    const pid = this.pid;
    if (pid === undefined) {
      return undefined;
    }
    const sample = {
      incarnation: this.incarnation,
      label,
      at: Date.now(),
      rss: memoryOf(pid).rss,
      fds: openFds(pid),
    };
    this.samples.push(sample);
    return sample;
  }

  async scrape(): Promise<string> {
    const response = await fetch(`${this.url}/metrics`, { signal: AbortSignal.timeout(10_000) });
    return response.text();
  }
}
