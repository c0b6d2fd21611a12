import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForPort } from './ports.js';

export interface RedisServerOptions {
  /** Extra redis-server arguments, appended on every launch. */
  args?: readonly string[];
  /** Called with each redis-server process launched (a harness kills them all if it dies). */
  onLaunch?: (child: ChildProcess) => void;
}

/**
 * A redis-server of the test's own on a free port, for tests that break it: kill it, pause it
 * (SIGSTOP), restart it with its data (append-only file, fsync always) or empty.
 */
export class RedisServer {
  private process?: ChildProcess;

  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly extraArgs: readonly string[],
    private readonly onLaunch?: (child: ChildProcess) => void,
  ) {}

  /** `args`: extra redis-server arguments (e.g. `--requirepass`), used on every launch. */
  static async start(options: RedisServerOptions = {}): Promise<RedisServer> {
    const server = await RedisServer.reserve(options);
    await server.launch();
    return server;
  }

  /** A port and a data directory, with no server yet: `launch()` starts it later. */
  static async reserve(options: RedisServerOptions = {}): Promise<RedisServer> {
    const dir = await mkdtemp(join(tmpdir(), 'ff-relay-redis-'));
    return new RedisServer(await freePort(), dir, options.args ?? [], options.onLaunch);
  }

  get address(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /**
   * SIGKILL, as a crashed or evicted pod: no goodbye to clients. A paused server is resumed
   * first unless `asIs`: then it dies without answering what it was sent while paused.
   */
  async kill(options: { asIs?: boolean } = {}): Promise<void> {
    const running = this.process;
    this.process = undefined;
    if (running && running.exitCode === null) {
      const exited = new Promise((resolve) => running.once('exit', resolve));
      if (!options.asIs) {
        running.kill('SIGCONT');
      }
      running.kill('SIGKILL');
      await exited;
    }
  }

  /** Starts again on the same port: with the data it had, or `empty`. */
  async restart(options: { empty?: boolean } = {}): Promise<void> {
    await this.kill();
    if (options.empty) {
      await rm(this.dir, { recursive: true, force: true });
    }
    await this.launch();
  }

  /** Hangs the server: connections stay open, nothing is answered. */
  pause(): void {
    this.process?.kill('SIGSTOP');
  }

  resume(): void {
    this.process?.kill('SIGCONT');
  }

  async stop(): Promise<void> {
    await this.kill();
    await rm(this.dir, { recursive: true, force: true });
  }

  async launch(): Promise<void> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', ''];
    args.push('--appendonly', 'yes', '--appendfsync', 'always', '--dir', this.dir);
    args.push(...this.extraArgs);
    await mkdir(this.dir, { recursive: true });
    this.process = spawn('redis-server', args, { stdio: 'ignore' });
    this.onLaunch?.(this.process);
    await waitForPort(this.port, 10_000);
  }
}
