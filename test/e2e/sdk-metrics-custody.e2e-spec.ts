import type { RedisServer } from '../support/redis-server.js';
import { type Instance, startTopology, type Topology } from '../support/topology.js';
import {
  authToken,
  forwardedCount as forwarded,
  metricsMessagesRead as readByPrimary,
  postMetricsWith,
} from '../support/topology-requests.js';

const TARGET = { identifier: 'custody-user', name: 'Custody User' };

const postMetrics = (instance: Instance, top: Topology, token: string, count: number) =>
  postMetricsWith(instance, top, token, count, TARGET);

/**
 * An SDK's metrics are answered 200 only once Redis holds them, and stay in the custody of the
 * instance that took them until the primary's stored position passes them. The primary's first
 * flush is 60 s after it starts at the earliest: each case runs before it.
 */
describe('SDK metrics: taken only when stored, kept until forwarded', () => {
  let top: Topology;
  let redis: RedisServer;
  let token: string;

  beforeEach(async () => {
    top = await startTopology('single', { readReplicas: 1 });
    redis = top.redis as RedisServer;
    token = await authToken(top.primary, top.sdkKey, TARGET);
  }, 90_000);
  afterEach(() => top.stop());

  it('Redis down: 503 METRICS_NOT_STORED with Retry-After, never a 200 for what could be lost', async () => {
    const replica = top.replicas[0] as Instance;
    // Each instance has seen the SDK's token, so only storing the metrics can fail.
    for (const instance of [top.primary, replica]) {
      expect((await postMetrics(instance, top, token, 1)).status).toBe(200);
    }
    await redis.kill();
    for (const instance of [top.primary, replica]) {
      expect(await postMetrics(instance, top, token, 1)).toEqual({
        status: 503,
        code: 'METRICS_NOT_STORED',
        retryAfter: '5',
      });
    }
    await redis.restart();
    await expect.poll(async () => (await postMetrics(replica, top, token, 2)).status).toBe(200);
    await expect.poll(() => readByPrimary(top.primary), { timeout: 15_000 }).toBeGreaterThan(2);
    await top.primary.stop();
    // The two taken before, and the one after (once at least: a 503 may hide a late write).
    expect(forwarded(top)).toBeGreaterThanOrEqual(4);
  });

  it("the primary's own metrics outlive it: SIGKILLed before its first flush, its successor forwards them", async () => {
    expect((await postMetrics(top.primary, top, token, 3)).status).toBe(200);
    expect((await postMetrics(top.primary, top, token, 4)).status).toBe(200);
    await expect.poll(() => readByPrimary(top.primary)).toBe(2);
    await top.primary.kill();
    await top.primary.start();
    await expect.poll(() => readByPrimary(top.primary)).toBe(2);
    await top.primary.stop();
    expect(forwarded(top)).toBe(7);
  });

  it('Redis back empty before they were forwarded: the instance that took them appends them again', async () => {
    const replica = top.replicas[0] as Instance;
    expect((await postMetrics(replica, top, token, 5)).status).toBe(200);
    expect((await postMetrics(replica, top, token, 6)).status).toBe(200);
    await expect.poll(() => readByPrimary(top.primary)).toBe(2);
    // Every copy but the replica's is gone: the primary never flushed, Redis kept nothing.
    await top.primary.kill();
    await redis.restart({ empty: true });
    await top.primary.start();
    await expect.poll(() => readByPrimary(top.primary), { timeout: 20_000 }).toBe(2);
    await top.primary.stop();
    expect(forwarded(top)).toBe(11);
  });

  it('Redis in trouble: the primary forwards what it read at once, not at its next interval', async () => {
    const replica = top.replicas[0] as Instance;
    expect((await postMetrics(replica, top, token, 8)).status).toBe(200);
    await expect.poll(() => readByPrimary(top.primary)).toBe(1);
    redis.pause();
    try {
      await expect.poll(() => forwarded(top), { timeout: 20_000 }).toBe(8);
    } finally {
      redis.resume();
    }
  });
});
