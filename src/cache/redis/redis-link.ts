import type { Logger } from '@nestjs/common';
import type { Cluster, Redis } from 'ioredis';

export type RedisLinkState = 'up' | 'down';

/**
 * Whether the command connection is up, logged at each change and reported at once to whoever
 * listens (the cache health, which then serves from memory).
 */
export class RedisLink {
  private readonly listeners = new Set<(state: RedisLinkState) => void>();
  private state: RedisLinkState = 'down';
  private closing = false;

  constructor(
    private readonly logger: Logger,
    private readonly where: string,
  ) {}

  get current(): RedisLinkState {
    return this.state;
  }

  onChange(listener: (state: RedisLinkState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Follows `connection` until the returned function is called (its planned close is no loss). */
  watch(connection: Redis | Cluster): () => void {
    const up = (): void => this.set('up');
    const down = (): void => this.set('down');
    connection.on('ready', up).on('close', down);
    return () => connection.off('ready', up).off('close', down);
  }

  /** Shutting down: the coming close is no loss either. */
  close(): void {
    this.closing = true;
  }

  private set(next: RedisLinkState): void {
    if (next === this.state || this.closing) {
      return;
    }
    this.state = next;
    if (next === 'down') {
      this.logger.warn({ redis: this.where }, 'lost the connection to redis: serving from memory');
    } else {
      this.logger.log({ redis: this.where }, 'connected to redis');
    }
    this.listeners.forEach((listener) => listener(next));
  }
}
