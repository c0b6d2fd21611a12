import type { Client } from '@harnessio/ff-nodejs-server-sdk';
import { CACHE_KEYS } from '../../src/cache/cache-keys.js';
import { nodeSdkClient } from '../support/node-sdk.js';
import { RedisCluster } from '../support/redis-cluster.js';
import { SteadyReader } from '../support/steady-reader.js';
import { TcpBalancer } from '../support/tcp-balancer.js';
import {
  type Instance,
  startTopology,
  TOPOLOGY_ADMIN_TOKEN,
  type Topology,
} from '../support/topology.js';
import {
  authToken,
  forwardedCount,
  metricsMessagesRead,
  postMetrics,
} from '../support/topology-requests.js';

const TARGET = { identifier: 'replica-user', name: 'Replica User' };

function sdkOn(url: string, top: Topology): Promise<Client> {
  const client = nodeSdkClient(top.sdkKey, url);
  return client.waitForInitialization().then(() => client);
}

describe.each(['single', 'cluster'] as const)('read replicas on Redis (%s)', (kind) => {
  let top: Topology;
  const clients: Client[] = [];

  beforeAll(async () => {
    top = await startTopology(kind, { clusterReplicas: 1 });
  }, 90_000);
  afterAll(async () => {
    clients.forEach((client) => client.close());
    await top.stop();
  });

  it('serves SDKs with tokens from any instance and follows upstream changes, making no upstream call', async () => {
    const [one, two] = top.replicas as [Instance, Instance];
    const token = await authToken(one, top.sdkKey, TARGET);
    for (const instance of [top.primary, one, two]) {
      const response = await fetch(`${instance.url}/client/env/${top.env}/feature-configs`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(response.status).toBe(200);
      expect(((await response.json()) as unknown[]).length).toBe(1);
    }
    const onOne = await sdkOn(one.url, top);
    const onTwo = await sdkOn(two.url, top);
    clients.push(onOne, onTwo);
    await expect.poll(() => one.streamState()).toBe('CONNECTED');
    expect(await onOne.boolVariation('dark-mode', TARGET, true)).toBe(false);
    top.upstream.toggleFlag(top.env, 'dark-mode', 'on');
    for (const client of [onOne, onTwo]) {
      await expect
        .poll(() => client.boolVariation('dark-mode', TARGET, false), { timeout: 10_000 })
        .toBe(true);
    }
    top.upstream.toggleFlag(top.env, 'dark-mode', 'off');
    await expect
      .poll(() => onTwo.boolVariation('dark-mode', TARGET, true), { timeout: 10_000 })
      .toBe(false);
    expect(top.trap.requests()).toEqual([]);
  });

  it('fences Admin API writes on a replica with 403 PRIMARY_ONLY; reads are served', async () => {
    const replica = top.replicas[0] as Instance;
    const headers = {
      authorization: `Bearer ${TOPOLOGY_ADMIN_TOKEN}`,
      'content-type': 'application/json',
    };
    const write = await fetch(`${replica.url}/admin/v1/auth-secret/rotate`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ gracePeriod: '1h' }),
    });
    expect(write.status).toBe(403);
    expect(await write.json()).toMatchObject({ code: 'PRIMARY_ONLY' });
    expect((await fetch(`${replica.url}/admin/v1/keys`, { headers })).status).toBe(200);
  });

  it('passes SDK metrics taken by replicas to the upstream through the primary', async () => {
    const before = forwardedCount(top);
    const read = await metricsMessagesRead(top.primary);
    expect(await postMetrics(top.replicas[0] as Instance, top, 3, TARGET)).toBe(200);
    expect(await postMetrics(top.replicas[1] as Instance, top, 4, TARGET)).toBe(200);
    // The primary forwards every minute; its shutdown flush sends what it has read at once.
    await expect.poll(() => metricsMessagesRead(top.primary)).toBe(read + 2);
    await top.primary.stop();
    await top.primary.start();
    expect(forwardedCount(top) - before).toBe(7);
    expect(top.trap.requests()).toEqual([]);
  });

  it('primary killed: replicas keep serving and take metrics, which reach the upstream once it is back', async () => {
    const replica = top.replicas[0] as Instance;
    const reader = new SteadyReader({
      baseUrl: replica.url,
      sdkKey: top.sdkKey,
      environment: top.env,
      target: TARGET,
    });
    await reader.start();
    const before = forwardedCount(top);
    expect(await postMetrics(replica, top, 2, TARGET)).toBe(200);
    await top.primary.kill();
    expect(await postMetrics(replica, top, 5, TARGET)).toBe(200);
    await reader.covers(40);
    expect(await postMetrics(top.replicas[1] as Instance, top, 6, TARGET)).toBe(200);
    await top.primary.start();
    await expect.poll(() => replica.streamState(), { timeout: 10_000 }).toBe('CONNECTED');
    await reader.covers(10);
    const { failures } = await reader.stop();
    expect(failures).toEqual([]);
    await top.primary.stop();
    await top.primary.start();
    expect(forwardedCount(top) - before).toBe(13);
  });

  it('a replica killed: its SDK reconnects through the balancer to another and converges', async () => {
    const balancer = await TcpBalancer.start(top.replicas.map((r) => r.port));
    const spare = top.replicas[1] as Instance;
    // The previous test restarted the primary: an SDK that starts while a replica still refuses
    // streams polls every minute instead, and this test is about its stream moving over.
    for (const replica of top.replicas) {
      await expect.poll(() => replica.streamState()).toBe('CONNECTED');
    }
    try {
      const client = await sdkOn(balancer.url, top);
      clients.push(client);
      const state = await client.boolVariation('dark-mode', TARGET, true);
      await (top.replicas[0] as Instance).kill();
      top.upstream.toggleFlag(top.env, 'dark-mode', state ? 'off' : 'on');
      await expect
        // The Node SDK retries its stream after 5-10 s times the attempt: a loaded machine can
        // take it to a third attempt.
        .poll(() => client.boolVariation('dark-mode', TARGET, state), { timeout: 90_000 })
        .toBe(!state);
      expect(await spare.health()).toBe(200);
    } finally {
      await balancer.stop();
      await (top.replicas[0] as Instance).start();
    }
  }, 150_000);

  it('upstream down: replicas report it, end SDK streams and refuse new ones until it is back', async () => {
    const replica = top.replicas[1] as Instance;
    await expect.poll(() => replica.streamState(), { timeout: 10_000 }).toBe('CONNECTED');
    await top.upstream.goDown();
    await expect.poll(() => replica.streamState(), { timeout: 15_000 }).toBe('DISCONNECTED');
    const token = await authToken(replica, top.sdkKey, TARGET);
    const refused = await fetch(`${replica.url}/stream`, {
      headers: { authorization: `Bearer ${token}`, 'api-key': top.sdkKey },
    });
    expect(refused.status).toBe(503);
    const flags = await fetch(`${replica.url}/client/env/${top.env}/feature-configs`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(flags.status).toBe(200);
    await top.upstream.comeBack();
    await expect.poll(() => replica.streamState(), { timeout: 15_000 }).toBe('CONNECTED');
  });

  it('an SDK key added, then removed while the upstream was away, follows on replicas', async () => {
    const replica = top.replicas[0] as Instance;
    const extra = `extra-${kind}-key`;
    const authStatus = async () =>
      (
        await fetch(`${replica.url}/client/auth`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ apiKey: extra }),
        })
      ).status;
    top.upstream.addApiKey(top.env, extra);
    await expect.poll(authStatus, { timeout: 10_000 }).toBe(200);
    await top.upstream.goDown();
    await expect.poll(() => replica.streamState(), { timeout: 15_000 }).toBe('DISCONNECTED');
    top.upstream.removeApiKey(top.env, extra);
    await top.upstream.comeBack();
    // No event can tell the primary: its resync finds the key gone and tells the replicas.
    await expect.poll(authStatus, { timeout: 15_000 }).toBe(401);
  });

  /**
   * Redis goes away and comes back: a single server killed and restarted empty; on a cluster,
   * the master holding the change events stream killed (its replica takes over) and restarted
   * (it rejoins as a replica).
   */
  const outage =
    kind === 'single'
      ? 'Redis killed, then back empty'
      : 'the master of the change events stream killed, failed over, then back as a replica';
  let killedMaster = 0;
  async function redisDown(): Promise<void> {
    if (top.redis instanceof RedisCluster) {
      killedMaster = await top.redis.masterOf(CACHE_KEYS.sseEventsStream);
      await top.redis.failOver(killedMaster);
    } else {
      await top.redis.kill();
    }
  }
  async function redisBack(): Promise<void> {
    await (top.redis instanceof RedisCluster
      ? top.redis.restart(killedMaster)
      : top.redis.restart({ empty: true }));
  }

  it(`${outage}: zero failed reads on replicas; the primary reaches their SDKs again`, async () => {
    const replica = top.replicas[1] as Instance;
    const client = await sdkOn(replica.url, top);
    clients.push(client);
    const readers = top.replicas.map(
      (r) =>
        new SteadyReader({
          baseUrl: r.url,
          sdkKey: top.sdkKey,
          environment: top.env,
          target: TARGET,
        }),
    );
    await Promise.all(readers.map((r) => r.start()));
    await redisDown();
    await readers[0]?.covers(40);
    await redisBack();
    await readers[0]?.covers(40);
    const failures = (await Promise.all(readers.map((r) => r.stop()))).flatMap((r) => r.failures);
    expect(failures).toEqual([]);
    const state = await client.boolVariation('dark-mode', TARGET, true);
    top.upstream.toggleFlag(top.env, 'dark-mode', state ? 'off' : 'on');
    await expect
      .poll(() => client.boolVariation('dark-mode', TARGET, state), { timeout: 30_000 })
      .toBe(!state);
  }, 90_000);
});
