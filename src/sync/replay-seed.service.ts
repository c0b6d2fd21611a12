import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { CACHE_KEYS } from '../cache/cache-keys.js';
import { RedisStreams } from '../cache/streams/redis-streams.js';
import { REPLAY_WINDOW_MS, StreamHub } from '../stream/stream-hub.service.js';
import { parseUpstreamEvent } from './upstream-event.js';

/**
 * A new instance starts with the changes the fleet announced in the last replay window, read
 * back from `proxy:sse_events`: SDKs replay only what their instance sent, and one whose
 * instance was stopped (a rolling restart, an eviction) may reconnect to a pod that started
 * after a change was announced. Without it, that SDK keeps the old value (it does not poll
 * while its stream is up).
 */
@Injectable()
export class ReplaySeed implements OnApplicationBootstrap {
  private readonly logger = new Logger(ReplaySeed.name);

  constructor(
    @Inject(RedisStreams) private readonly streams: RedisStreams | null,
    private readonly hub: StreamHub,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.streams) {
      return;
    }
    try {
      const since = Date.now() - REPLAY_WINDOW_MS;
      let kept = 0;
      for (const message of await this.streams.since(CACHE_KEYS.sseEventsStream, since)) {
        const event = parseUpstreamEvent(message.json);
        const announced = event?.domain === 'flag' || event?.domain === 'target-segment';
        if (event && announced && event.environment) {
          this.hub.remember(event, Number(message.id.split('-')[0]));
          kept += 1;
        }
      }
      this.logger.debug({ events: kept }, 'recent changes kept for sdk streams that reconnect');
    } catch (err) {
      // Only the replay to SDKs reconnecting in the next two minutes is at stake.
      this.logger.warn({ err }, 'could not read the recent changes back from redis');
    }
  }
}
