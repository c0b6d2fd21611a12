import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { type NodeChild, ROOT, RssSampler, startNode, stopChild } from './children.js';
import { freePort, waitFor } from './wait.js';

/** CLOCK_MONOTONIC in µs: the clock of `process.hrtime` and of V8's profile timestamps. */
export const monotonicUs = (): number => Number(process.hrtime.bigint() / 1000n);

/** Inside node_modules so the compiled files resolve the project's dependencies. */
const OUT_DIR = join(ROOT, 'node_modules/.cache/ff-relay-bench-build');

/** Compiles `src/` with tsc: the relay under test runs as plain `node main.js`, as in production. */
export async function buildRelay(): Promise<void> {
  const tsc = fileURLToPath(import.meta.resolve('typescript/bin/tsc'));
  await promisify(execFile)(
    process.execPath,
    [tsc, '-p', 'tsconfig.build.json', '--outDir', OUT_DIR, '--incremental', 'false'],
    { cwd: ROOT },
  );
}

export interface RelayOptions {
  name: string;
  env: Record<string, string>;
  /** Directory for `--cpu-prof` output; no profiling when absent. */
  cpuProfDir?: string;
}

/** One relay process (offline, primary or replica) on a port of its own. */
export class Relay {
  private constructor(
    readonly name: string,
    readonly port: number,
    readonly node: NodeChild,
    readonly startedAt: number,
    private readonly cpuProfDir: string | undefined,
  ) {}

  static async start(options: RelayOptions): Promise<Relay> {
    const port = await freePort();
    const nodeArgs = options.cpuProfDir
      ? [
          '--cpu-prof',
          '--cpu-prof-dir',
          options.cpuProfDir,
          '--cpu-prof-name',
          `${options.name}.cpuprofile`,
        ]
      : [];
    const startedAt = Date.now();
    const node = startNode(join(OUT_DIR, 'main.js'), [], {
      env: { LOG_LEVEL: 'ERROR', AUTH_RATE_LIMIT: '0', ...options.env, PORT: String(port) },
      raiseFdLimit: true,
      cleanEnv: true,
      nodeArgs,
    });
    return new Relay(options.name, port, node, startedAt, options.cpuProfDir);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number {
    return this.node.pid;
  }

  /** Waits for `/health` to answer 200 (config loaded, Redis reachable). */
  async ready(timeoutMs = 60_000): Promise<void> {
    await waitFor(
      `${this.name} to become healthy`,
      async () => {
        if (this.node.child.exitCode !== null) {
          throw new Error(`${this.name} exited:\n${this.node.output()}`);
        }
        const response = await fetch(`${this.url}/health`);
        await response.arrayBuffer();
        return response.status === 200 ? true : undefined;
      },
      timeoutMs,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${this.node.output()}`);
    });
  }

  /** `POST /client/auth` with an SDK key; the token. */
  async token(sdkKey: string): Promise<string> {
    const response = await fetch(`${this.url}/client/auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apiKey: sdkKey }),
    });
    const body = (await response.json()) as { authToken?: string };
    if (response.status !== 200 || !body.authToken) {
      throw new Error(`${this.name}: auth answered ${response.status}`);
    }
    return body.authToken;
  }

  /**
   * When profiling: which part of the profile is the measured work and how many requests (or
   * streams) it served, for `cpuprofile-summary.ts`; the profile also holds the boot and any
   * warm-up. Times are {@link monotonicUs}, the clock V8 stamps profiles with.
   */
  async markProfileWindow(
    fromUs: number | undefined,
    toUs: number,
    units?: { count: number; name: 'requests' | 'streams' },
  ): Promise<void> {
    if (!this.cpuProfDir) {
      return;
    }
    const window = { fromMonotonicUs: fromUs, toMonotonicUs: toUs, units };
    await mkdir(this.cpuProfDir, { recursive: true });
    await writeFile(join(this.cpuProfDir, `${this.name}.window.json`), JSON.stringify(window));
  }

  sampler(): RssSampler {
    return new RssSampler(this.pid);
  }

  async stop(): Promise<void> {
    await stopChild(this.node, 10_000);
  }
}
