import type { Socket } from 'node:net';
import { Cluster, type Redis } from 'ioredis';

/** How often sockets are looked at; the deadline is honoured to within this. */
const CHECK_EVERY_MS = 250;

export class RedisWriteTimeoutError extends Error {
  override readonly name = 'RedisWriteTimeoutError';
  readonly code = 'EWRITETIMEOUT';
}

interface Stall {
  flushed: number;
  since: number;
}

/**
 * REDIS_WRITE_TIMEOUT_SECONDS: a socket that has data waiting to go out and has not handed Redis
 * a single complete write for `timeoutMs` (Redis stopped reading: hung, or its buffers full) is
 * destroyed with a {@link RedisWriteTimeoutError}, as go-redis drops a connection whose write
 * deadline passed; ioredis then reconnects, and the commands on it are retried or fail as
 * REDIS_MAX_RETRIES says. Socket writes complete asynchronously in Node, so this is a watch
 * rather than a per-write deadline.
 */
export class WriteDeadline {
  private readonly stalls = new WeakMap<Socket, Stall>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly timeoutMs: number,
    private readonly connections: () => Iterable<Redis | Cluster>,
  ) {
    this.timer = setInterval(() => this.check(), Math.min(CHECK_EVERY_MS, timeoutMs)).unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private check(): void {
    const now = Date.now();
    for (const connection of this.connections()) {
      const nodes = connection instanceof Cluster ? connection.nodes() : [connection];
      for (const node of nodes) {
        // Undefined until the first connect, whatever the typings say.
        const socket: Socket | undefined = node.stream;
        if (socket && !socket.destroyed) {
          this.checkSocket(socket, now);
        }
      }
    }
  }

  private checkSocket(socket: Socket, now: number): void {
    if (socket.writableLength === 0) {
      this.stalls.delete(socket);
      return;
    }
    // bytesWritten counts what is still buffered too: the difference is what went out.
    const flushed = socket.bytesWritten - socket.writableLength;
    const stall = this.stalls.get(socket);
    if (!stall || stall.flushed !== flushed) {
      this.stalls.set(socket, { flushed, since: now });
    } else if (now - stall.since >= this.timeoutMs) {
      this.stalls.delete(socket);
      socket.destroy(
        new RedisWriteTimeoutError(`redis took no data for ${this.timeoutMs} ms: write timeout`),
      );
    }
  }
}
