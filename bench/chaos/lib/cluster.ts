import { randomUUID } from 'node:crypto';
import type { FeatureConfig } from '../../../src/model/feature-config.js';
import { freePort } from '../../../test/support/ports.js';
import { RedisServer } from '../../../test/support/redis-server.js';
import { TcpBalancer } from '../../../test/support/tcp-balancer.js';
import { environmentSeed } from '../../../test/support/upstream-emulator/fixtures.js';
import { UpstreamEmulator } from '../../../test/support/upstream-emulator/upstream-emulator.js';
import { track } from '../../lib/children.js';
import { RelayProcess } from './relay-process.js';

export const CHAOS_AUTH_SECRET = 'chaos-auth-secret';
export const CHAOS_ADMIN_TOKEN = 'chaos-admin-token-of-32-characters!';

export interface ClusterOptions {
  replicas: number;
  flags: FeatureConfig[];
  pollIntervalSeconds: number;
  logDir: string;
  /** SDK keys of the environment besides the main one, for apps that start later. */
  extraKeys: number;
  /** Added to every relay's environment. */
  env?: Record<string, string>;
}

/**
 * A primary and its read replicas, each a process of the compiled relay, on a private
 * redis-server, with the upstream emulator, behind a TCP balancer whose backends are the
 * instances that are up (a Service's endpoints: a crashed pod leaves them, a started one joins
 * once healthy). Replicas point at a second emulator, the trap: any request it gets is an
 * upstream call a replica should not have made.
 */
export class ChaosCluster {
  private readonly serving = new Set<RelayProcess>();

  private constructor(
    readonly redis: RedisServer,
    readonly upstream: UpstreamEmulator,
    readonly trap: UpstreamEmulator,
    readonly primary: RelayProcess,
    readonly replicas: RelayProcess[],
    readonly balancer: TcpBalancer,
    readonly env: string,
    /** The SDK key every app uses, then the keys of the apps that start later. */
    readonly sdkKeys: readonly string[],
  ) {}

  get sdkKey(): string {
    return this.sdkKeys[0] ?? '';
  }

  static async start(options: ClusterOptions): Promise<ChaosCluster> {
    const redis = await RedisServer.start({ onLaunch: track });
    const apiKeys = Array.from({ length: 1 + options.extraKeys }, () => randomUUID());
    const seed = environmentSeed({ featureConfigs: options.flags, segments: [], apiKeys });
    const upstream = new UpstreamEmulator({ seed: { environments: [seed] } });
    const trap = new UpstreamEmulator({ seed: { environments: [] } });
    await Promise.all([upstream.start(), trap.start()]);
    const common = { ...commonEnv(redis), ...options.env };
    const primary = new RelayProcess(
      'primary',
      await freePort(),
      { ...common, ...primaryEnv(upstream, options.pollIntervalSeconds) },
      options.logDir,
    );
    const replicas: RelayProcess[] = [];
    for (let i = 1; i <= options.replicas; i += 1) {
      const env = {
        ...common,
        READ_REPLICA: 'true',
        CLIENT_SERVICE: trap.url,
        METRIC_SERVICE: trap.metricsUrl,
      };
      replicas.push(new RelayProcess(`replica-${i}`, await freePort(), env, options.logDir));
    }
    await primary.start();
    await Promise.all(replicas.map((replica) => replica.start()));
    const balancer = await TcpBalancer.start([]);
    const cluster = new ChaosCluster(
      redis,
      upstream,
      trap,
      primary,
      replicas,
      balancer,
      seed.id,
      apiKeys,
    );
    [primary, ...replicas].forEach((relay) => cluster.serve(relay));
    return cluster;
  }

  get relays(): RelayProcess[] {
    return [this.primary, ...this.replicas];
  }

  /** Whether the balancer sends new connections to it (it is up and became healthy). */
  isServing(relay: RelayProcess): boolean {
    return this.serving.has(relay);
  }

  /** Puts a relay among the balancer's backends. */
  serve(relay: RelayProcess): void {
    this.serving.add(relay);
    this.balancer.setBackends([...this.serving].map((r) => r.port));
  }

  /** Takes a relay out of the balancer: no new connection goes to it. */
  unserve(relay: RelayProcess): void {
    this.serving.delete(relay);
    this.balancer.setBackends([...this.serving].map((r) => r.port));
  }

  /** SIGKILL: the balancer stops sending to it once the connections are refused. */
  async crash(relay: RelayProcess): Promise<void> {
    await relay.kill();
    this.unserve(relay);
  }

  async restart(relay: RelayProcess): Promise<void> {
    await relay.start();
    this.serve(relay);
  }

  /** As Kubernetes does it: out of the endpoints, a moment for that to spread, SIGTERM, back. */
  async rollingRestart(relay: RelayProcess, drainMs: number): Promise<void> {
    this.unserve(relay);
    await new Promise((resolve) => setTimeout(resolve, drainMs));
    await relay.stop();
    await this.restart(relay);
  }

  /** An Admin API call (on the primary unless told): its status and JSON body (status 0: no answer). */
  async admin(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    relay: RelayProcess = this.primary,
  ): Promise<{ status: number; body: unknown }> {
    try {
      const response = await fetch(`${relay.url}/admin/v1/${path}`, {
        method,
        headers: {
          authorization: `Bearer ${CHAOS_ADMIN_TOKEN}`,
          'content-type': 'application/json',
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(30_000),
      });
      return { status: response.status, body: await response.json().catch(() => undefined) };
    } catch (err) {
      return { status: 0, body: String(err) };
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.relays.map((relay) => relay.kill()));
    await this.balancer.stop();
    await Promise.all([this.upstream.stop(), this.trap.stop(), this.redis.stop()]);
  }
}

function commonEnv(redis: RedisServer): Record<string, string> {
  return {
    REDIS_ADDRESS: redis.address,
    AUTH_SECRET: CHAOS_AUTH_SECRET,
    ADMIN_API_TOKEN: CHAOS_ADMIN_TOKEN,
    // One line per request would be most of the log; the lifecycle lines are what tell a story.
    ACCESS_LOG: 'false',
    // Every SDK of the run comes from 127.0.0.1: a per-address limit would throttle them all.
    AUTH_RATE_LIMIT: '0',
  };
}

/** The primary's upstream, and the Harness admin API its proxy key is rotated through. */
function primaryEnv(
  upstream: UpstreamEmulator,
  pollIntervalSeconds: number,
): Record<string, string> {
  return {
    PROXY_KEY: upstream.proxyKey,
    CLIENT_SERVICE: upstream.url,
    METRIC_SERVICE: upstream.metricsUrl,
    ADMIN_SERVICE: upstream.adminUrl,
    ADMIN_SERVICE_TOKEN: upstream.adminApiKey,
    PROXY_KEY_IDENTIFIER: 'relay-proxy',
    ACCOUNT_IDENTIFIER: upstream.account,
    UPSTREAM_POLL_INTERVAL: String(pollIntervalSeconds),
  };
}
