import { RedisStreams, type StreamSubscription } from '../../src/cache/streams/redis-streams.js';
import { RedisClient } from '../../src/cache/redis/redis.client.js';
import { loadConfig } from '../../src/config/load-config.js';
import { RedisServer } from '../support/redis-server.js';

/** The replica/primary stream consumer against a Redis that goes away and comes back. */
describe('RedisStreams', () => {
  let redis: RedisServer;
  let client: RedisClient;
  let streams: RedisStreams;
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
  });
  afterEach(async () => {
    await subscription?.close();
    await client.onApplicationShutdown();
    await redis.stop();
  });

  it('reads from where it started, in order, and resumes after its last message, none twice', async () => {
    await streams.append('s', '{"n":0}', 100);
    const seen: string[] = [];
    subscription = streams.subscribe('s', await streams.lastId('s'), (m) => {
      seen.push(m.json);
    });
    await streams.append('s', '{"n":1}', 100);
    await expect.poll(() => seen).toEqual(['{"n":1}']);
    await redis.kill();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await redis.restart();
    await expect.poll(() => client.linkState, { timeout: 5_000 }).toBe('up');
    await streams.append('s', '{"n":2}', 100);
    await streams.append('s', '{"n":3}', 100);
    await expect.poll(() => seen, { timeout: 10_000 }).toEqual(['{"n":1}', '{"n":2}', '{"n":3}']);
  });

  it('skips a message its handler fails on instead of retrying it forever', async () => {
    const seen: string[] = [];
    subscription = streams.subscribe('s', '0-0', (m) => {
      if (m.json === '"poison"') {
        throw new Error('cannot handle');
      }
      seen.push(m.json);
    });
    await streams.append('s', '"poison"', 100);
    await streams.append('s', '"fine"', 100);
    await expect.poll(() => seen).toEqual(['"fine"']);
    expect(subscription.position).toMatch(/^\d+-\d+$/);
  });

  it('hands a message appended twice under one producer id (a retried append) over once', async () => {
    const seen: string[] = [];
    subscription = streams.subscribe('s', '0-0', (m) => {
      seen.push(m.json);
    });
    await streams.append('s', '{"n":1}', 100, 'id-1');
    await streams.append('s', '{"n":1}', 100, 'id-1');
    await streams.append('s', '{"n":2}', 100, 'id-2');
    await streams.append('s', '{"n":3}', 100);
    await streams.append('s', '{"n":3}', 100);
    await expect.poll(() => seen).toEqual(['{"n":1}', '{"n":2}', '{"n":3}', '{"n":3}']);
  });
});
