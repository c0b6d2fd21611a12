import { Injectable, Logger } from '@nestjs/common';
import type { Cluster, Redis } from 'ioredis';
import type { StreamCounters } from '../../metrics/stream-counters.js';
import { RedisClient } from '../redis/redis.client.js';

/** How long one XREAD blocks; a reader checks for shutdown in between. */
const BLOCK_MS = 5_000;
const BACKOFF_MIN_MS = 1_000;
/**
 * A reader retries at most this far apart: a cluster failover (or a slot map that catches up
 * with it) can fail reads for several seconds, and a replica that then waits a minute would
 * leave its SDKs without the changes made meanwhile for that long. An XREAD every 5 s costs
 * nothing.
 */
const BACKOFF_MAX_MS = 5_000;
/** Messages per read unless the subscriber asks for another number. */
const BATCH = 100;

/** Every message carries one field, `event`, holding a JSON document (docs/redis-layout.md). */
const FIELD = 'event';
/**
 * Ours, beside `event` (other readers ignore it): the producer's id for a message it may append
 * twice. An append whose answer was lost (a timeout, a master killed as it wrote) is retried,
 * yet may have been written; a reader skips a repeated id.
 */
const ID_FIELD = 'ff-relay-id';
/** How many producer ids a reader remembers: far more than arrive between a try and its retry. */
const REMEMBERED_IDS = 10_000;

export interface StreamMessage {
  id: string;
  json: string;
  /** The producer's id, when it gave one. */
  producerId?: string;
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

  /**
   * `XADD stream MAXLEN n * event <json>`, with `producerId` (unique per message) when the
   * caller retries an append that may have been written.
   */
  async append(stream: string, json: string, maxLen: number, producerId?: string): Promise<string> {
    const fields = producerId === undefined ? [FIELD, json] : [FIELD, json, ID_FIELD, producerId];
    const id = await this.redis.connection.xadd(stream, 'MAXLEN', maxLen, '*', ...fields);
    return id ?? '';
  }

  /** Whether the stream still holds the message `id`, and how many messages it holds. */
  async holds(stream: string, id: string): Promise<{ found: boolean; length: number }> {
    const [found, length] = await Promise.all([
      this.redis.connection.xrange(stream, id, id, 'COUNT', 1),
      this.redis.connection.xlen(stream),
    ]);
    return { found: found.length > 0, length };
  }

  /** The messages appended since `fromMs` (Redis stream ids are milliseconds), oldest first. */
  async since(stream: string, fromMs: number, count = 1_000): Promise<StreamMessage[]> {
    const entries = await this.redis.connection.xrange(stream, `${fromMs}-0`, '+', 'COUNT', count);
    return entries.map(([id, fields]) => ({
      id,
      json: field(fields, FIELD) ?? '',
      producerId: field(fields, ID_FIELD),
    }));
  }

  /** The id of the newest message, or `0-0` for an empty stream: where "from now on" starts. */
  async lastId(stream: string): Promise<string> {
    const newest = await this.redis.connection.xrevrange(stream, '+', '-', 'COUNT', 1);
    return newest[0]?.[0] ?? '0-0';
  }

  /**
   * Reads `stream` after `from` until closed, calling `handle` for each message in order. Read
   * errors back off from 1 s to 5 s and resume after the last message handled. `counters`
   * count each (re)subscription and each message by its handler's result; a handler rejects a
   * message that is not valid JSON with a SyntaxError. `batch` is how many messages one read
   * takes at most.
   */
  subscribe(
    stream: string,
    from: string,
    handle: (message: StreamMessage) => Promise<void> | void,
    counters?: StreamCounters,
    batch = BATCH,
  ): StreamSubscription {
    let connection = this.redis.dedicated(BLOCK_MS + 5_000);
    const seen = new RecentIds(REMEMBERED_IDS);
    let position = from;
    const state = { closed: false };
    const loop = (async () => {
      let backoff = BACKOFF_MIN_MS;
      counters?.subscribed(stream);
      while (!state.closed) {
        try {
          for (const message of await readBatch(connection, stream, position, batch)) {
            if (seen.repeated(message.producerId)) {
              this.logger.debug(
                { stream, id: message.id },
                'redis stream message repeated: skipped',
              );
            } else {
              await handleOnce(message, handle, this.logger, stream, counters);
            }
            position = message.id;
          }
          backoff = BACKOFF_MIN_MS;
          if (!state.closed) {
            connection = this.redis.renewed(connection);
          }
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
  count: number,
): Promise<StreamMessage[]> {
  const reply = await connection.xread('COUNT', count, 'BLOCK', BLOCK_MS, 'STREAMS', stream, after);
  const messages: StreamMessage[] = [];
  for (const [, entries] of reply ?? []) {
    for (const [id, fields] of entries) {
      // Readers ignore messages without an `event` field (docs/redis-layout.md); the id still
      // advances.
      messages.push({
        id,
        json: field(fields, FIELD) ?? '',
        producerId: field(fields, ID_FIELD),
      });
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

/** The value of `name` in a flat `[name, value, …]` list. */
function field(fields: string[], name: string): string | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i] === name) {
      return fields[i + 1];
    }
  }
  return undefined;
}

/** The last `max` ids seen, oldest forgotten first. */
class RecentIds {
  private readonly ids = new Set<string>();

  constructor(private readonly max: number) {}

  /** Whether `id` was seen before; remembers it. A message without an id is never a repeat. */
  repeated(id: string | undefined): boolean {
    if (id === undefined) {
      return false;
    }
    if (this.ids.has(id)) {
      return true;
    }
    this.ids.add(id);
    if (this.ids.size > this.max) {
      this.ids.delete(this.ids.values().next().value as string);
    }
    return false;
  }
}
