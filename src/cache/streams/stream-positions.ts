import { Injectable, Logger } from '@nestjs/common';
import { RedisStreams } from './redis-streams.js';
import { RedisClient } from '../redis/redis.client.js';

const STREAM_ID = /^\d+-\d+$/;

/**
 * Stores ARGV[1] under KEYS[1] unless the id stored there is the same or later, in one step, so
 * that a writer late with an older id (a primary still flushing while its successor runs) cannot
 * move a position back. Ids compare as two decimals without leading zeros: by length, then as
 * strings, which stays exact beyond the 2^53 a Lua number holds. A stored value that is not an
 * id is replaced.
 */
const ADVANCE = `
local function before(a, b)
  if #a ~= #b then return #a < #b end
  return a < b
end
local ms, seq = string.match(ARGV[1], '^(%d+)%-(%d+)$')
local stored = redis.call('GET', KEYS[1])
if stored then
  local sms, sseq = string.match(stored, '^(%d+)%-(%d+)$')
  if sms and (before(ms, sms) or (ms == sms and not before(sseq, seq))) then
    return 0
  end
end
redis.call('SET', KEYS[1], ARGV[1])
return 1
`;

/**
 * Where a reader of a Redis stream stands, kept in a key of its own so that a successor resumes
 * there. A position is created once, at the end of the stream as it is then, by whoever touches
 * the stream first (writers before their first append, the reader at boot), and afterwards only
 * moves forward. Each operation touches one key, so it works the same on Redis Cluster.
 */
@Injectable()
export class StreamPositions {
  private readonly logger = new Logger(StreamPositions.name);

  constructor(
    private readonly redis: RedisClient,
    private readonly streams: RedisStreams,
  ) {}

  /**
   * The position stored under `key`. When there is none, the id of the newest message of
   * `stream` (`0-0` when it is empty) is stored first, unless someone else stores one
   * meanwhile: then theirs is returned. A stored value that is not an id is replaced the same way.
   */
  async claim(key: string, stream: string): Promise<string> {
    const end = await this.streams.lastId(stream);
    await this.redis.connection.set(key, end, 'NX');
    // Another Redis type (written by hand?) reads as no id, and is replaced like one.
    const stored = await this.redis.connection.get(key).catch((err: unknown) => {
      if (err instanceof Error && err.message.startsWith('WRONGTYPE')) {
        return '';
      }
      throw err;
    });
    if (stored !== null && STREAM_ID.test(stored)) {
      return stored;
    }
    // Not an id (written by hand?): a reader could not resume from it. Resuming at the end
    // loses at most what came in since the last flush, which is better than not starting.
    this.logger.warn({ key, resumeAt: end }, 'stored stream position is not a stream id: replaced');
    await this.redis.connection.set(key, end);
    return end;
  }

  /** The position stored under `key`, or null when there is none (or it is not an id). */
  async stored(key: string): Promise<string | null> {
    const value = await this.redis.connection.get(key);
    return value !== null && STREAM_ID.test(value) ? value : null;
  }

  /** Moves the position to `id` if that is later; false when the stored one is not earlier. */
  async advance(key: string, id: string): Promise<boolean> {
    if (!STREAM_ID.test(id)) {
      throw new Error(`not a stream id: ${id}`);
    }
    return (await this.redis.connection.eval(ADVANCE, 1, key, id)) === 1;
  }
}
