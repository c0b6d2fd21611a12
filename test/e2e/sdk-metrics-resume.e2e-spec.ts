import { Cluster, Redis } from 'ioredis';
import { CACHE_KEYS } from '../../src/cache/cache-keys.js';
import { freePort } from '../support/ports.js';
import { parseScrape } from '../support/prometheus-text.js';
import { RedisCluster } from '../support/redis-cluster.js';
import { Instance, startTopology, type Topology } from '../support/topology.js';
import {
  forwardedCount as forwarded,
  metricsEntry,
  postMetrics as postSdkMetrics,
} from '../support/topology-requests.js';

const TARGET = { identifier: 'metrics-user', name: 'Metrics User' };
const TOPIC = { topic: CACHE_KEYS.sdkMetricsStream, error: 'false' };

const entry = (count: number) => metricsEntry(count, TARGET);

/** `POST /metrics/{env}` as an SDK sends it, with `count` evaluations of dark-mode: taken. */
async function postMetrics(instance: Instance, top: Topology, count: number): Promise<void> {
  expect(await postSdkMetrics(instance, top, count, TARGET)).toBe(200);
}

async function scraped(instance: Instance, name: string): Promise<number> {
  const response = await fetch(`${instance.url}/metrics`);
  return parseScrape(await response.text()).value(name, TOPIC);
}

/** Messages the primary took from `stream:sdk_metrics` since it started. */
const readByPrimary = (primary: Instance) =>
  scraped(primary, 'ff_proxy_primary_metrics_stream_consumer_messages_received');
/** SDK requests the replica appended to `stream:sdk_metrics` since it started. */
const appendedBy = (replica: Instance) =>
  scraped(replica, 'ff_proxy_replica_metrics_stream_producer_messages_published');

/** Runs `use` with a plain client of the topology's Redis (a cluster client on a cluster). */
async function withRedis<T>(top: Topology, use: (client: Redis | Cluster) => Promise<T>) {
  const client =
    top.redis instanceof RedisCluster
      ? new Cluster(top.redis.ports.map((port) => ({ host: '127.0.0.1', port })))
      : new Redis({ port: top.redis.port });
  try {
    return await use(client);
  } finally {
    client.disconnect();
  }
}

/** The stored position and the id of the stream's newest message. */
const positionAndEnd = (top: Topology) =>
  withRedis(top, async (client) => [
    await client.get(CACHE_KEYS.sdkMetricsPosition),
    (await client.xrevrange(CACHE_KEYS.sdkMetricsStream, '+', '-', 'COUNT', 1))[0]?.[0],
  ]);

/**
 * Every metric replicas took reaches the upstream, whenever the primary died. The primary's
 * first flush is at least 60 s after it started (METRIC_POST_DURATION's minimum), so everything
 * here happens before it; what the last primary read goes out with its shutdown flush (SIGTERM).
 */
describe.each(['single', 'cluster'] as const)('SDK metrics through replicas (%s)', (kind) => {
  let top: Topology;

  beforeEach(async () => {
    top = await startTopology(kind, { started: false });
  }, 90_000);
  afterEach(() => top.stop());

  it('primary SIGKILLed before its first flush: metrics posted before and during the outage all arrive', async () => {
    const replica = top.replicas[0] as Instance;
    await top.primary.start();
    await replica.start();
    await postMetrics(replica, top, 3);
    await postMetrics(replica, top, 4);
    await expect.poll(() => readByPrimary(top.primary), { timeout: 10_000 }).toBe(2);
    // No flush yet: the first one is due 60 s after boot at the earliest.
    expect(forwarded(top)).toBe(0);
    await top.primary.kill();
    await postMetrics(replica, top, 5);
    await expect.poll(() => appendedBy(replica)).toBe(3);
    await top.primary.start();
    // Nothing was flushed, so the new primary reads all three again (at least once).
    await expect.poll(() => readByPrimary(top.primary), { timeout: 10_000 }).toBe(3);
    await top.primary.stop();
    expect(forwarded(top)).toBe(12);
    // Its shutdown flush stored how far it got: a next primary would send none of them again.
    const [position, end] = await positionAndEnd(top);
    expect(position).toBe(end);
  }, 120_000);

  it('replicas take metrics before any primary read the stream: the first one forwards them, not what a Go proxy left', async () => {
    // Redis as a Harness Go deployment leaves it: flags and keys, and in the stream a request
    // its primary already forwarded, but no position of ours.
    const earlier = new Instance('metrics-off-primary', await freePort(), {
      ...top.primaryEnv,
      METRIC_POST_DURATION: '0',
    });
    try {
      await earlier.start();
    } finally {
      await earlier.stop();
    }
    const forwardedByGo = JSON.stringify({ environment_id: top.env, metricsData: [entry(100)] });
    await withRedis(top, (c) => c.xadd(CACHE_KEYS.sdkMetricsStream, '*', 'event', forwardedByGo));
    const replica = top.replicas[0] as Instance;
    await replica.start();
    await postMetrics(replica, top, 6);
    await expect.poll(() => appendedBy(replica)).toBe(1);
    await top.primary.start();
    await expect.poll(() => readByPrimary(top.primary), { timeout: 10_000 }).toBe(1);
    await top.primary.stop();
    expect(forwarded(top)).toBe(6);
  }, 120_000);
});
