import { Injectable, Logger } from '@nestjs/common';
import type { Cluster, Redis } from 'ioredis';
import type { StreamCounters } from '../metrics/stream-counters.js';
import { RedisClient } from './redis.client.js';

/** How long one XREAD blocks; a reader checks for shutdown in between. */
const BLOCK_MS = 5_000;
const BACKOFF_MIN_MS = 1_000;
const BACKOFF_MAX_MS = 60_000;
const BATCH = 100;

/** Every message carries one field, `event`, holding a JSON document (`cache-and-ha.md` §5). */
const FIELD = 'event';

export interface StreamMessage {
  id: string;
  json: string;
}

export interface StreamSubscription {
  /** The id of the last message handled (where a resumed read starts). */
  readonly position: string;
  close(): Promise<void>;
}

/**
 * The Redis streams between a primary and its replicas: appends, and readers that each hold a
 * connection of their own. Plain XREAD (no consumer groups: every replica sees every message, as
 * Go replicas do); a reader resumes after its last message on reconnect and advances past a
 * message after one attempt to handle it, so none is seen twice or retried forever.
 */
@Injectable()
export class RedisStreams {
  private readonly logger = new Logger(RedisStreams.name);

  constructor(private readonly redis: RedisClient) {}

  /** `XADD stream MAXLEN n * event <json>`. */
  async append(stream: string, json: string, maxLen: number): Promise<string> {
    const id = await this.redis.connection.xadd(stream, 'MAXLEN', maxLen, '*', FIELD, json);
    return id ?? '';
  }

  /** The id of the newest message, or `0-0` for an empty stream: where "from now on" starts. */
  async lastId(stream: string): Promise<string> {
    const newest = await this.redis.connection.xrevrange(stream, '+', '-', 'COUNT', 1);
    return newest[0]?.[0] ?? '0-0';
  }

  /**
   * Reads `stream` after `from` until closed, calling `handle` for each message in order. Read
   * errors back off from 1 s to 60 s and resume after the last message handled. `counters`
   * count each (re)subscription and each message by its handler's result; a handler rejects a
   * message that is not valid JSON with a SyntaxError.
   */
  subscribe(
    stream: string,
    from: string,
    handle: (message: StreamMessage) => Promise<void> | void,
    counters?: StreamCounters,
  ): StreamSubscription {
    const connection = this.redis.dedicated(BLOCK_MS + 5_000);
    let position = from;
    const state = { closed: false };
    const loop = (async () => {
      let backoff = BACKOFF_MIN_MS;
      counters?.subscribed(stream);
      while (!state.closed) {
        try {
          for (const message of await readBatch(connection, stream, position)) {
            await handleOnce(message, handle, this.logger, stream, counters);
            position = message.id;
          }
          backoff = BACKOFF_MIN_MS;
        } catch (err) {
          if (state.closed) {
            break;
          }
          counters?.received(stream, 'err_subscribing');
          counters?.subscribed(stream);
          this.logger.warn({ err, stream, retryInMs: backoff }, 'redis stream read failed');
          await new Promise((resolve) => setTimeout(resolve, backoff).unref());
          backoff = Math.min(backoff * 2, BACKOFF_MAX_MS);
        }
      }
    })();
    return {
      get position() {
        return position;
      },
      close: async () => {
        state.closed = true;
        connection.disconnect();
        await loop;
      },
    };
  }
}

async function readBatch(
  connection: Redis | Cluster,
  stream: string,
  after: string,
): Promise<StreamMessage[]> {
  const reply = await connection.xread('COUNT', BATCH, 'BLOCK', BLOCK_MS, 'STREAMS', stream, after);
  const messages: StreamMessage[] = [];
  for (const [, entries] of reply ?? []) {
    for (const [id, fields] of entries) {
      const at = fields.indexOf(FIELD);
      // Readers ignore messages without an `event` field (§5); the id still advances.
      messages.push({ id, json: at >= 0 && at % 2 === 0 ? (fields[at + 1] ?? '') : '' });
    }
  }
  return messages;
}

async function handleOnce(
  message: StreamMessage,
  handle: (message: StreamMessage) => Promise<void> | void,
  logger: Logger,
  stream: string,
  counters: StreamCounters | undefined,
): Promise<void> {
  if (!message.json) {
    return;
  }
  try {
    await handle(message);
    counters?.received(stream);
  } catch (err) {
    counters?.received(
      stream,
      err instanceof SyntaxError ? 'err_parsing_message' : 'unexpected_error',
    );
    logger.warn({ err, stream, id: message.id }, 'redis stream message not handled: skipped');
  }
}
