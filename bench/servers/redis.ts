import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { track, trackDir } from '../lib/children.js';
import { freePort, waitFor } from '../lib/wait.js';
import { createConnection } from 'node:net';

/** A private redis-server on a free port, no persistence; killed with the bench. */
export class BenchRedis {
  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly stopProcess: () => void,
  ) {}

  static async start(): Promise<BenchRedis> {
    const port = await freePort();
    const dir = trackDir(await mkdtemp(join(tmpdir(), 'ff-relay-bench-redis-')));
    const args = [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
    ];
    const child = track(spawn('redis-server', [...args, '--dir', dir], { stdio: 'ignore' }));
    await waitFor(`redis-server on ${port}`, () => canConnect(port), 10_000);
    return new BenchRedis(port, dir, () => child.kill('SIGKILL'));
  }

  get address(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    this.stopProcess();
    await rm(this.dir, { recursive: true, force: true });
  }
}

function canConnect(port: number): Promise<true | undefined> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => {
      socket.end();
      resolve(true);
    });
    socket.on('error', () => resolve(undefined));
  });
}
