import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyReply } from 'fastify';
import type { SseConnection } from './sse-connection.js';
import { detachFromHttpServer } from './http-detach.js';

/** The headers of every event stream, SDK and OFREP alike. */
export const SSE_HEADERS = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
};

/**
 * An {@link SseConnection} over the raw socket of the stream request. A held stream lives for
 * hours and an instance holds tens of thousands, so {@link takeOver} keeps as little as it can
 * (docs/performance.md, "SDK streams"): once the response head is out, the socket is detached
 * from Node's HTTP server, as Node itself does for a protocol upgrade. Its parser goes back to
 * the pool, and the request, the response and Fastify's request and reply become garbage: the
 * connection is a socket the hub writes chunks to. Measured with `bench/stream-heap.ts`.
 */
export class NodeSseConnection implements SseConnection {
  private ended = false;

  private constructor(
    private readonly socket: Socket,
    /** HTTP/1.1: each frame is one chunk and the stream ends with the empty chunk. */
    private readonly chunked: boolean,
  ) {}

  /**
   * Takes the response over from Fastify and sends the status line and the headers (with those
   * hooks set so far: CORS, X-Request-Id), then holds the connection open for events.
   */
  static takeOver(reply: FastifyReply): SseConnection {
    reply.hijack();
    const headers = { ...reply.getHeaders(), ...SSE_HEADERS } as OutgoingHttpHeaders;
    const { raw: response } = reply;
    // Headers set one by one (Nest copies the CORS ones onto every response) make Node keep a
    // map of them for the response's lifetime (~0.9 KB); without one it writes them from ours.
    forgetHeaderMap(response);
    response.writeHead(200, headers);
    // The idle timeout (a timer per socket) cannot fire on a stream: the hub writes a heartbeat
    // at least every 15 s, and ends a stream whose client stopped reading.
    response.socket?.setTimeout(0);
    const socket = response.socket;
    if (socket !== null) {
      response.flushHeaders();
      const chunked = response.chunkedEncoding;
      if (detachFromHttpServer(socket, response)) {
        return new NodeSseConnection(socket, chunked);
      }
    }
    // The client is gone, this request was pipelined behind another one (SDKs never do that),
    // or Node's server is not as expected: the response stays Node's, which frames and ends it.
    return new ResponseSseConnection(response);
  }

  get pendingBytes(): number {
    return this.socket.writableLength;
  }

  write(frame: Uint8Array): boolean {
    const socket = this.socket;
    if (this.ended || socket.destroyed) {
      return false;
    }
    if (!this.chunked) {
      return socket.write(frame);
    }
    socket.cork();
    socket.write(`${frame.length.toString(16)}\r\n`, 'latin1');
    socket.write(frame);
    const flushed = socket.write('\r\n', 'latin1');
    socket.uncork();
    return flushed;
  }

  close(): void {
    if (this.ended || this.socket.destroyed) {
      return;
    }
    this.ended = true;
    const socket = this.socket;
    if (socket.writableLength > 0) {
      // Bytes the kernel would not take yet: a client that stopped reading (the hub closes those)
      // would never let a clean end finish, and the socket would linger. It is cut instead.
      socket.destroy();
      return;
    }
    // The connection closes with the stream: it is no longer an HTTP server connection, so it
    // cannot carry another request.
    socket.end(this.chunked ? LAST_CHUNK : '', () => socket.destroy());
  }

  onClose(listener: () => void): void {
    if (this.socket.closed) {
      queueMicrotask(listener);
      return;
    }
    this.socket.once('close', listener);
  }
}

const LAST_CHUNK = '0\r\n\r\n';

/** A stream on a response Node still drives: when its socket could not be taken over. */
class ResponseSseConnection implements SseConnection {
  constructor(private readonly response: ServerResponse) {}

  get pendingBytes(): number {
    return this.response.writableLength;
  }

  write(frame: Uint8Array): boolean {
    return !this.response.writableEnded && this.response.write(frame);
  }

  close(): void {
    if (!this.response.writableEnded) {
      this.response.end();
    }
  }

  onClose(listener: () => void): void {
    if (this.response.closed) {
      queueMicrotask(listener);
      return;
    }
    this.response.once('close', listener);
  }
}

/** Node's (private) map of headers set with `setHeader`; nothing happens if it is not found. */
function forgetHeaderMap(response: ServerResponse): void {
  const map = Object.getOwnPropertySymbols(response).find((s) => s.description === 'kOutHeaders');
  if (map !== undefined) {
    (response as unknown as Record<symbol, unknown>)[map] = null;
  }
}
