import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { type NodeChild, ROOT, RssSampler, startNode, stopChild } from './children.js';
import { cpuProfArgs, type ProfileUnits, writeProfileWindow } from './profiling.js';
import { freePort, waitFor } from './wait.js';

/** Inside node_modules so the compiled files resolve the project's dependencies. */
const OUT_DIR = join(ROOT, 'node_modules/.cache/ff-relay-bench-build');

/**
 * Compiles `src/` with tsc: the relay under test runs as plain `node main.js`, as in production.
 * Into `outDir` (a directory of node_modules/.cache, so the build resolves the dependencies):
 * each harness builds into its own, as they may run at the same time.
 */
export async function buildRelay(outDir = OUT_DIR): Promise<void> {
  // From scratch, so no file deleted from src/ lingers in the build.
  await rm(outDir, { recursive: true, force: true });
  const tsc = fileURLToPath(import.meta.resolve('typescript/bin/tsc'));
  await promisify(execFile)(
    process.execPath,
    [tsc, '-p', 'tsconfig.build.json', '--outDir', outDir, '--incremental', 'false'],
    { cwd: ROOT },
  );
}

export interface RelayOptions {
  name: string;
  env: Record<string, string>;
  /** Directory for `--cpu-prof` output; no profiling when absent. */
  cpuProfDir?: string;
  /** More node flags (e.g. `--heapsnapshot-signal`). */
  nodeArgs?: string[];
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
    const nodeArgs = [
      ...cpuProfArgs(options.cpuProfDir, options.name),
      ...(options.nodeArgs ?? []),
    ];
    const startedAt = Date.now();
    const node = startNode(join(OUT_DIR, 'main.js'), [], {
      env: {
        LOG_LEVEL: 'ERROR',
        AUTH_RATE_LIMIT: '0',
        // The fan-out row measures how many streams one process can hold, not the default cap.
        SDK_STREAM_LIMIT: '0',
        SDK_STREAM_MAX_AGE: '0',
        ...options.env,
        PORT: String(port),
      },
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

  /** See {@link writeProfileWindow}. */
  markProfileWindow(fromUs: number | undefined, toUs: number, units?: ProfileUnits): Promise<void> {
    return writeProfileWindow(this.cpuProfDir, this.name, fromUs, toUs, units);
  }

  sampler(): RssSampler {
    return new RssSampler(this.pid);
  }

  async stop(): Promise<void> {
    await stopChild(this.node, 10_000);
  }
}
