import { buildProxy, type ProxyProcess, spawnProxy } from './built-proxy.js';
import { freePort } from './ports.js';
import { RedisCluster } from './redis-cluster.js';
import { RedisServer } from './redis-server.js';
import { booleanFlag, environmentSeed } from './upstream-emulator/fixtures.js';
import { UpstreamEmulator } from './upstream-emulator/upstream-emulator.js';

export const TOPOLOGY_AUTH_SECRET = 'topology-auth-secret';
export const TOPOLOGY_ADMIN_TOKEN = 'topology-admin-token-of-32-characters';

/** One relay process (primary or replica) of the compiled `main.js` on a port of its own. */
export class Instance {
  process?: ProxyProcess;

  constructor(
    readonly name: string,
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts the process and waits until it is ready (`/health` 200). */
  async start(): Promise<void> {
    this.process = spawnProxy({ ...this.env, PORT: String(this.port) });
    await this.until('healthy', () => this.health());
  }

  /** Starts the process and waits only until it serves HTTP (`/livez` 200), ready or not. */
  async launch(): Promise<void> {
    this.process = spawnProxy({ ...this.env, PORT: String(this.port) });
    await this.until('live', () => this.livez());
  }

  private async until(what: string, status: () => Promise<number | undefined>): Promise<void> {
    const deadline = Date.now() + 30_000;
    while ((await status()) !== 200) {
      if (Date.now() > deadline || this.process?.child.exitCode !== null) {
        throw new Error(`${this.name} did not become ${what}:\n${this.output()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** SIGKILL: a crashed or evicted pod. */
  async kill(): Promise<void> {
    this.process?.child.kill('SIGKILL');
    await this.process?.exited;
  }

  /** SIGTERM: a graceful stop (the last SDK metrics flush runs). */
  async stop(): Promise<number | null | undefined> {
    if (!this.process || this.process.child.exitCode !== null) {
      return this.process?.child.exitCode;
    }
    this.process.child.kill('SIGTERM');
    return this.process.exited;
  }

  async health(): Promise<number | undefined> {
    const response = await fetch(`${this.url}/health`).catch(() => undefined);
    return response?.status;
  }

  async livez(): Promise<number | undefined> {
    const response = await fetch(`${this.url}/livez`).catch(() => undefined);
    return response?.status;
  }

  async streamState(): Promise<string | undefined> {
    const response = await fetch(`${this.url}/health`).catch(() => undefined);
    return ((await response?.json()) as { streamStatus?: { state?: string } } | undefined)
      ?.streamStatus?.state;
  }

  output(): string {
    return `${this.process?.stdout() ?? ''}${this.process?.stderr() ?? ''}`;
  }
}

export interface Topology {
  redis: RedisServer | RedisCluster;
  /** The upstream the primary talks to. */
  upstream: UpstreamEmulator;
  /** Where replicas are pointed too: any request it records is an upstream call by a replica. */
  trap: UpstreamEmulator;
  env: string;
  sdkKey: string;
  primary: Instance;
  replicas: Instance[];
  /** The primary's environment, for another primary on the same Redis and upstream. */
  primaryEnv: Record<string, string>;
  stop(): Promise<void>;
}

export interface TopologyOptions {
  /** How many read replicas (2 unless told). */
  readReplicas?: number;
  /** Redis replicas per cluster master (0 unless told): 1 lets a test fail a master over. */
  clusterReplicas?: 0 | 1;
  /** False: no instance runs yet, the test starts them in the order it needs. */
  started?: boolean;
  /** Boolean flags beside `dark-mode` (none unless told): a bigger environment to apply. */
  extraFlags?: number;
  /** The environment's id (random unless told): where its keys live in a cluster. */
  environmentId?: string;
  /** The raw proxy key (random unless told): where its inventory lives in a cluster. */
  proxyKey?: string;
}

/**
 * One primary and read replicas (two unless told), each a process of its own, on a real Redis
 * (a single server or a 3-master cluster), with the primary on the upstream emulator.
 */
export async function startTopology(
  kind: 'single' | 'cluster',
  options: TopologyOptions = {},
): Promise<Topology> {
  await buildProxy();
  const redis =
    kind === 'cluster'
      ? await RedisCluster.start({ replicas: options.clusterReplicas ?? 0 })
      : await RedisServer.start();
  const extra = Array.from({ length: options.extraFlags ?? 0 }, (_, i) => booleanFlag(`flag-${i}`));
  const seed = environmentSeed({
    featureConfigs: [booleanFlag('dark-mode'), ...extra],
    ...(options.environmentId ? { id: options.environmentId } : {}),
  });
  const upstream = new UpstreamEmulator({
    seed: { environments: [seed] },
    heartbeatMs: 500,
    proxyKey: options.proxyKey,
  });
  const trap = new UpstreamEmulator({ seed: { environments: [] } });
  await Promise.all([upstream.start(), trap.start()]);
  const common = {
    REDIS_ADDRESS: redis.address,
    AUTH_SECRET: TOPOLOGY_AUTH_SECRET,
    REDIS_READ_TIMEOUT: '500ms',
    REDIS_DIAL_TIMEOUT: '500ms',
    // TOPOLOGY_LOG_LEVEL=DEBUG to read what the instances did (Instance.output()).
    LOG_LEVEL: process.env.TOPOLOGY_LOG_LEVEL ?? 'ERROR',
    ADMIN_API_TOKEN: TOPOLOGY_ADMIN_TOKEN,
  };
  const primaryEnv = {
    ...common,
    PROXY_KEY: upstream.proxyKey,
    CLIENT_SERVICE: upstream.url,
    METRIC_SERVICE: upstream.metricsUrl,
    UPSTREAM_POLL_INTERVAL: '1',
    UPSTREAM_STREAM_TIMEOUT: '3',
  };
  const primary = new Instance('primary', await freePort(), primaryEnv);
  const replicaEnv = {
    ...common,
    READ_REPLICA: 'true',
    CLIENT_SERVICE: trap.url,
    METRIC_SERVICE: trap.metricsUrl,
    FORWARD_TARGETS: 'true',
  };
  const replicas: Instance[] = [];
  for (let i = 1; i <= (options.readReplicas ?? 2); i += 1) {
    replicas.push(new Instance(`replica-${i}`, await freePort(), replicaEnv));
  }
  if (options.started ?? true) {
    await primary.start();
    await Promise.all(replicas.map((replica) => replica.start()));
  }
  return {
    redis,
    upstream,
    trap,
    env: seed.id,
    sdkKey: seed.apiKeys?.[0] ?? '',
    primary,
    replicas,
    primaryEnv,
    stop: async () => {
      await Promise.all([primary, ...replicas].map((instance) => instance.kill()));
      await Promise.all([upstream.stop(), trap.stop(), redis.stop()]);
    },
  };
}
