import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { freePort, waitForPort } from './ports.js';

const run = promisify(execFile);

/** A cluster node also listens on its port + 10000 for the cluster bus. */
const BUS_OFFSET = 10_000;
const MASTERS = 3;

interface Node {
  port: number;
  dir: string;
  process: ChildProcess;
}

/**
 * A real Redis Cluster of three masters (no replicas) on free ports, for tests of cluster mode:
 * keys spread over slots on different nodes, so SCAN must visit every master and multi-key
 * commands fail across slots, which a single server never shows.
 */
export class RedisCluster {
  private constructor(private readonly nodes: Node[]) {}

  static async start(): Promise<RedisCluster> {
    const nodes: Node[] = [];
    const cluster = new RedisCluster(nodes);
    try {
      for (const port of await clusterPorts(MASTERS)) {
        nodes.push(await launch(port));
      }
      await Promise.all(cluster.ports.map((port) => waitForPort(port, 10_000)));
      const addresses = cluster.ports.map((port) => `127.0.0.1:${port}`);
      await run('redis-cli', [
        '--cluster',
        'create',
        ...addresses,
        '--cluster-replicas',
        '0',
        '--cluster-yes',
      ]);
      await cluster.waitUntilOk(20_000);
      return cluster;
    } catch (err) {
      await cluster.stop();
      throw err;
    }
  }

  /** As REDIS_ADDRESS expresses a cluster: a comma-separated list of its nodes. */
  get address(): string {
    return this.ports.map((port) => `127.0.0.1:${port}`).join(',');
  }

  get ports(): number[] {
    return this.nodes.map((node) => node.port);
  }

  async flushAll(): Promise<void> {
    await Promise.all(
      this.ports.map(async (port) => {
        const client = new Redis({ port, lazyConnect: true });
        try {
          await client.flushall();
        } finally {
          client.disconnect();
        }
      }),
    );
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.nodes.map(async (node) => {
        if (node.process.exitCode === null && node.process.signalCode === null) {
          const exited = new Promise((resolve) => node.process.once('exit', resolve));
          node.process.kill('SIGKILL');
          await exited;
        }
        await rm(node.dir, { recursive: true, force: true });
      }),
    );
  }

  /** Every node, not only the first, must see all slots served before tests connect. */
  private async waitUntilOk(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const states = await Promise.all(this.ports.map((port) => clusterInfo(port)));
      if (states.every((info) => info.includes('cluster_state:ok'))) {
        return;
      }
      if (Date.now() >= deadline) {
        throw new Error(`redis cluster ${this.address} not ok after ${timeoutMs} ms`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** Distinct free ports whose bus ports (port + 10000) are free too. */
async function clusterPorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  for (let attempt = 0; ports.length < count; attempt += 1) {
    if (attempt >= 100) {
      throw new Error('found no free ports for a redis cluster');
    }
    const port = await freePort();
    const taken = ports.flatMap((p) => [p, p + BUS_OFFSET]);
    if (taken.includes(port) || taken.includes(port + BUS_OFFSET)) {
      continue;
    }
    if (port + BUS_OFFSET <= 65_535 && (await isFree(port + BUS_OFFSET))) {
      ports.push(port);
    }
  }
  return ports;
}

async function launch(port: number): Promise<Node> {
  const dir = await mkdtemp(join(tmpdir(), 'ff-relay-redis-cluster-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes'];
  args.push('--cluster-config-file', `nodes-${port}.conf`, '--cluster-node-timeout', '2000');
  args.push('--save', '', '--appendonly', 'no', '--dir', dir);
  return { port, dir, process: spawn('redis-server', args, { stdio: 'ignore' }) };
}

async function clusterInfo(port: number): Promise<string> {
  try {
    return (await run('redis-cli', ['-p', String(port), 'cluster', 'info'])).stdout;
  } catch {
    return '';
  }
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
