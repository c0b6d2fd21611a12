import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import calculateSlot from 'cluster-key-slot';
import { ask, clusterNodes, isLiveMaster, pollFor, servesSlot } from './cluster-nodes.js';
import { freePort, waitForPort } from './ports.js';

const run = promisify(execFile);

/** A cluster node also listens on its port + 10000 for the cluster bus. */
const BUS_OFFSET = 10_000;
const MASTERS = 3;
/** The last slot of each master's range as `redis-cli --cluster create` splits 16,384 by 3. */
const SHARD_ENDS = [5_460, 10_922, 16_383];
/**
 * How long a silent node is taken for alive. Small, so a failover takes seconds; not smaller,
 * so a loaded 2-core machine does not fail masters over that were only slow.
 */
const NODE_TIMEOUT_MS = 2_000;

interface Node {
  port: number;
  dir: string;
  /** Undefined while the node is killed. */
  process?: ChildProcess;
  /** Stopped (SIGSTOP): its connections stay open and nothing is answered. */
  hung?: boolean;
}

export interface FailoverOptions {
  /** `kill` (SIGKILL, the default): a crashed node; `hang` (SIGSTOP): a partitioned one. */
  how?: 'kill' | 'hang';
  /** Runs right after the master goes, alongside the wait for its replica. */
  whileDown?: () => Promise<void>;
}

export interface RedisClusterOptions {
  /** Replicas per master: 0 (three masters only), or 1 (each master has one that can take over). */
  replicas?: 0 | 1;
}

export interface Failover {
  /** The port of the replica that now serves the killed master's slots. */
  promoted: number;
  /** From the kill until every live node reports the cluster ok with the replica promoted. */
  afterMs: number;
}

/**
 * A real Redis Cluster on free ports, for tests of cluster mode: keys spread over slots on
 * different nodes, so SCAN must visit every master and multi-key commands fail across slots,
 * which a single server never shows. With replicas, a master can be killed (SIGKILL) and its
 * replica promoted, and the killed node restarted to rejoin as a replica.
 */
/**
 * Which master a fresh cluster gives `key` to, as an index (0 to 2): `redis-cli --cluster
 * create` splits the slots evenly, in order. A failover moves a shard to another node but
 * keeps its slots together, so keys of one shard stay on one master.
 */
export function shardOf(key: string): number {
  const slot = calculateSlot(key);
  return SHARD_ENDS.findIndex((end) => slot <= end);
}

export class RedisCluster {
  private constructor(private readonly nodes: Node[]) {}

  static async start(options: RedisClusterOptions = {}): Promise<RedisCluster> {
    const replicas = options.replicas ?? 0;
    const nodes: Node[] = [];
    const cluster = new RedisCluster(nodes);
    try {
      for (const port of await clusterPorts(MASTERS * (1 + replicas))) {
        const node = { port, dir: await mkdtemp(join(tmpdir(), 'ff-relay-redis-cluster-')) };
        nodes.push(node);
        await launch(node);
      }
      const addresses = cluster.ports.map((port) => `127.0.0.1:${port}`);
      await run('redis-cli', [
        '--cluster',
        'create',
        ...addresses,
        '--cluster-replicas',
        String(replicas),
        '--cluster-yes',
      ]);
      await cluster.waitUntilSettled(30_000);
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

  /** The port of the master that serves `key`'s slot now. */
  async masterOf(key: string): Promise<number> {
    const port = this.livePorts()[0] ?? 0;
    const slot = Number(await ask(port, 'CLUSTER', 'KEYSLOT', key));
    const owner = (await clusterNodes(port))?.find((n) => isLiveMaster(n) && servesSlot(n, slot));
    if (!owner) {
      throw new Error(`no live master serves slot ${slot} (key ${key})`);
    }
    return owner.port;
  }

  /** `GET key` from the master serving it now: null when the key is missing. */
  async get(key: string): Promise<string | null | undefined> {
    return ask(await this.masterOf(key), 'GET', key);
  }

  /** Empties every master (replicas follow; they refuse writes themselves). */
  async flushAll(): Promise<void> {
    const view = (await clusterNodes(this.livePorts()[0] ?? 0)) ?? [];
    const masters = view.filter(isLiveMaster).map((node) => node.port);
    await Promise.all(masters.map((port) => ask(port, 'FLUSHALL')));
  }

  /**
   * Kills (or hangs) the master on `port` and waits until its replica serves its slots and
   * every other node says the cluster is ok again.
   */
  async failOver(port: number, options: FailoverOptions = {}): Promise<Failover> {
    const me = (await clusterNodes(port))?.find((node) => node.flags.has('myself'));
    const slot = me?.slots[0]?.[0];
    if (!me || !isLiveMaster(me) || slot === undefined) {
      throw new Error(`node ${port} is not a master serving slots`);
    }
    const killedAt = Date.now();
    if (options.how === 'hang') {
      this.hang(port);
    } else {
      await this.kill(port);
    }
    const meanwhile = options.whileDown?.();
    const promoted = await pollFor(`failover of ${port}`, 30_000, async () => {
      const views = await Promise.all(this.livePorts().map((p) => this.okView(p)));
      const owners = views.map((view) =>
        view?.find((n) => n.id !== me.id && isLiveMaster(n) && servesSlot(n, slot)),
      );
      const first = owners[0];
      return first && owners.every((owner) => owner?.id === first.id) ? first.port : undefined;
    });
    const afterMs = Date.now() - killedAt;
    await meanwhile;
    return { promoted, afterMs };
  }

  /** Starts a killed (or hung) node again on its port; it rejoins as a replica and syncs. */
  async restart(port: number, timeoutMs = 30_000): Promise<void> {
    await this.kill(port);
    await launch(this.node(port));
    await this.waitUntilSettled(timeoutMs);
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.nodes.map(async (node) => {
        await this.kill(node.port);
        await rm(node.dir, { recursive: true, force: true });
      }),
    );
  }

  private async kill(port: number): Promise<void> {
    const node = this.node(port);
    const running = node.process;
    node.process = undefined;
    node.hung = false;
    if (running && running.exitCode === null && running.signalCode === null) {
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGKILL');
      await exited;
    }
  }

  private hang(port: number): void {
    const node = this.node(port);
    node.process?.kill('SIGSTOP');
    node.hung = true;
  }

  /**
   * Every live node sees all slots served (cluster_state:ok) and every replica's link to its
   * master is up, so a failover has a synced replica to promote.
   */
  private async waitUntilSettled(timeoutMs: number): Promise<void> {
    await pollFor(`redis cluster ${this.address} settled`, timeoutMs, async () => {
      const settled = await Promise.all(
        this.livePorts().map(async (port) => {
          const [view, replication] = await Promise.all([
            this.okView(port),
            ask(port, 'INFO', 'replication'),
          ]);
          const replica = replication?.includes('role:slave') ?? false;
          return view !== undefined && (!replica || replication?.includes('master_link_status:up'));
        }),
      );
      return settled.every(Boolean) ? true : undefined;
    });
  }

  /** The node's view of the cluster, if it says the cluster is ok. */
  private async okView(port: number) {
    const info = await ask(port, 'CLUSTER', 'INFO');
    return info?.includes('cluster_state:ok') ? clusterNodes(port) : undefined;
  }

  /** The nodes that run and answer. */
  private livePorts(): number[] {
    return this.nodes.filter((node) => node.process && !node.hung).map((node) => node.port);
  }

  private node(port: number): Node {
    const node = this.nodes.find((n) => n.port === port);
    if (!node) {
      throw new Error(`no cluster node on port ${port}`);
    }
    return node;
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

/**
 * The node keeps its cluster config (`nodes.conf`) in its directory, so a restarted node comes
 * back as the same node id; it keeps no data (no RDB, no AOF): a replica syncs from its master.
 * A replica takes over however long it was cut off from its master (validity factor 0): on a
 * loaded machine it may have missed pings, and the test is about the relay, not Redis' caution.
 */
async function launch(node: Node): Promise<void> {
  const args = ['--port', String(node.port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes'];
  args.push('--cluster-config-file', 'nodes.conf');
  args.push('--cluster-node-timeout', String(NODE_TIMEOUT_MS));
  args.push('--cluster-replica-validity-factor', '0');
  args.push('--save', '', '--appendonly', 'no', '--dir', node.dir);
  node.process = spawn('redis-server', args, { stdio: 'ignore' });
  await waitForPort(node.port, 10_000);
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
