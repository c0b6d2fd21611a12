import { SchedulerRegistry } from '@nestjs/schedule';
import { Histogram, Registry } from 'prom-client';
import { CACHE_KEYS } from '../../src/cache/cache-keys.js';
import { RedisStreams, type StreamSubscription } from '../../src/cache/streams/redis-streams.js';
import { RedisClient } from '../../src/cache/redis/redis.client.js';
import { loadConfig } from '../../src/config/load-config.js';
import { STREAM_PREFIXES } from '../../src/metrics/metric-names.js';
import { StreamCounters } from '../../src/metrics/stream-counters.js';
import { ScheduledJobs } from '../../src/scheduling/scheduled-jobs.service.js';
import { ProxyStatus } from '../../src/status/proxy-status.service.js';
import { ReplicaBroadcast } from '../../src/sync/primary/replica-broadcast.service.js';
import { RedisServer } from '../support/redis-server.js';

function flagChange(identifier: string, version: number) {
  return { event: 'patch', domain: 'flag', identifier, version, environment: 'env-1' };
}

/** What a primary tells its read replicas, against a Redis that goes away and comes back. */
describe(ReplicaBroadcast.name, () => {
  let redis: RedisServer;
  let client: RedisClient;
  let streams: RedisStreams;
  let broadcast: ReplicaBroadcast;
  let registry: Registry;
  let subscription: StreamSubscription | undefined;

  beforeEach(async () => {
    redis = await RedisServer.start();
    client = new RedisClient(
      loadConfig({
        REDIS_ADDRESS: redis.address,
        AUTH_SECRET: 's',
        REDIS_READ_TIMEOUT: '500ms',
        REDIS_DIAL_TIMEOUT: '500ms',
      }),
    );
    await client.onModuleInit();
    streams = new RedisStreams(client);
    registry = new Registry();
    const duration = new Histogram({ name: 'j', help: 'j', labelNames: ['job'], registers: [] });
    broadcast = new ReplicaBroadcast(
      streams,
      new ProxyStatus(),
      new ScheduledJobs(new SchedulerRegistry(), duration),
      new StreamCounters(STREAM_PREFIXES.primaryToReplica, registry),
    );
  });
  afterEach(async () => {
    broadcast.onModuleDestroy();
    await subscription?.close();
    await client.onApplicationShutdown();
    await redis.stop();
  });

  it('announces changes made while Redis was down once it is back, in order', async () => {
    await redis.kill();
    // The primary's own SDKs are not held up by a Redis that is down: both settle meanwhile.
    const relayed = Promise.all([
      broadcast.relay(flagChange('first', 1)),
      broadcast.relay(flagChange('second', 2)),
    ]);
    // Redis has refused the first append (not merely queued it) before it comes back.
    await expect
      .poll(async () => (await registry.metrics()).includes('error="err_publishing"'))
      .toBe(true);
    await relayed;
    await redis.restart();
    const seen: string[] = [];
    subscription = streams.subscribe(CACHE_KEYS.sseEventsStream, '0-0', (m) => {
      seen.push((JSON.parse(m.json) as { identifier: string }).identifier);
    });
    await expect.poll(() => seen, { timeout: 15_000 }).toEqual(['first', 'second']);
  });

  it('announces a change once when an append that timed out was written after all', async () => {
    // Hung: the append is sent, times out (500 ms), and is tried again; once Redis resumes it
    // runs both.
    redis.pause();
    const relayed = broadcast.relay(flagChange('only', 1));
    await expect
      .poll(async () => (await registry.metrics()).includes('error="err_publishing"'))
      .toBe(true);
    await relayed;
    await new Promise((resolve) => setTimeout(resolve, 600));
    redis.resume();
    await expect
      .poll(() => client.connection.xlen(CACHE_KEYS.sseEventsStream), { timeout: 15_000 })
      .toBeGreaterThanOrEqual(2);
    const seen: string[] = [];
    subscription = streams.subscribe(CACHE_KEYS.sseEventsStream, '0-0', (m) => {
      seen.push((JSON.parse(m.json) as { identifier: string }).identifier);
    });
    await expect.poll(() => seen).toEqual(['only']);
    // Nothing more arrives after the first: the copy was read and skipped.
    await expect
      .poll(() => subscription?.position)
      .toBe(await streams.lastId(CACHE_KEYS.sseEventsStream));
    expect(seen).toEqual(['only']);
  });
});
