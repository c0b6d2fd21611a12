import { CACHE_KEYS } from '../../src/cache/cache-keys.js';
import { RedisStreams } from '../../src/cache/streams/redis-streams.js';
import { RedisClient } from '../../src/cache/redis/redis.client.js';
import { StreamPositions } from '../../src/cache/streams/stream-positions.js';
import { loadConfig } from '../../src/config/load-config.js';
import { flushTestDb, testRedisAddress } from '../support/redis.js';
import { RedisCluster } from '../support/redis-cluster.js';

const KEY = CACHE_KEYS.sdkMetricsPosition;
const STREAM = CACHE_KEYS.sdkMetricsStream;

/** The position key and the stream live in different slots of a cluster: one key per command. */
describe.each(['single', 'cluster'] as const)('StreamPositions (%s)', (kind) => {
  let cluster: RedisCluster | undefined;
  const clients: RedisClient[] = [];
  let streams: RedisStreams;
  let positions: StreamPositions;

  async function connect(): Promise<StreamPositions> {
    const address = cluster?.address ?? testRedisAddress();
    const client = new RedisClient(loadConfig({ REDIS_ADDRESS: address, AUTH_SECRET: 's' }));
    await client.onModuleInit();
    clients.push(client);
    streams = new RedisStreams(client);
    return new StreamPositions(client, streams);
  }

  const stored = () => (clients[0] as RedisClient).connection.get(KEY);

  beforeAll(async () => {
    cluster = kind === 'cluster' ? await RedisCluster.start() : undefined;
  }, 60_000);
  beforeEach(async () => {
    await (cluster ? cluster.flushAll() : flushTestDb());
    positions = await connect();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.onApplicationShutdown()));
  });
  afterAll(() => cluster?.stop());

  it('claims the end of the stream once; later claims return that one', async () => {
    expect(await positions.claim(KEY, STREAM)).toBe('0-0');
    await streams.append(STREAM, '{}', 100);
    expect(await positions.claim(KEY, STREAM)).toBe('0-0');
    await (clients[0] as RedisClient).connection.del(KEY);
    const newest = await streams.append(STREAM, '{}', 100);
    expect(await positions.claim(KEY, STREAM)).toBe(newest);
  });

  it('gives claims racing from several connections one answer, stored', async () => {
    const others = [await connect(), await connect(), await connect()];
    const claims = await Promise.all(
      [positions, ...others].flatMap((p) => [
        p.claim(KEY, STREAM),
        streams.append(STREAM, '{}', 100).then(() => p.claim(KEY, STREAM)),
      ]),
    );
    expect(new Set(claims).size).toBe(1);
    expect(await stored()).toBe(claims[0]);
  });

  it('replaces a stored value that is not a stream id when claiming', async () => {
    await (clients[0] as RedisClient).connection.set(KEY, 'garbage');
    const newest = await streams.append(STREAM, '{}', 100);
    expect(await positions.claim(KEY, STREAM)).toBe(newest);
    expect(await stored()).toBe(newest);
  });

  it('only moves forward, comparing ids as numbers, exactly beyond 2^53', async () => {
    const steps: [string, boolean][] = [
      ['5-9', true],
      ['5-10', true],
      ['5-9', false],
      ['5-10', false],
      ['10-0', true],
      ['9-99', false],
      ['9007199254740993-0', true],
      ['9007199254740992-7', false],
    ];
    const moved: [string, boolean][] = [];
    for (const [id] of steps) {
      moved.push([id, await positions.advance(KEY, id)]);
    }
    expect(moved).toEqual(steps);
    expect(await stored()).toBe('9007199254740993-0');
  });

  it('creates the position when there is none, and refuses what is not an id', async () => {
    expect(await positions.advance(KEY, '3-0')).toBe(true);
    expect(await stored()).toBe('3-0');
    await expect(positions.advance(KEY, '$')).rejects.toThrow('not a stream id');
    expect(await stored()).toBe('3-0');
  });
});
