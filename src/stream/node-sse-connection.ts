import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { FastifyReply } from 'fastify';
import type { SseConnection } from './sse-connection.js';

/** The headers of every event stream, SDK and OFREP alike. */
export const SSE_HEADERS = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
};

/**
 * An {@link SseConnection} over Node's raw response, which the stream route takes over. A held
 * stream lives for hours and an instance holds tens of thousands, so {@link takeOver} keeps as
 * little of the request as it can (docs/performance.md, "SDK streams"): measured with
 * `bench/stream-heap.ts`, these steps take a held stream from ~11.1 to ~8.0 KB of JS heap.
 */
export class NodeSseConnection implements SseConnection {
  private constructor(private readonly response: ServerResponse) {}

  /**
   * Takes the response over from Fastify, sends the status line and the headers (with those
   * hooks set so far: CORS, X-Request-Id) and holds it open for events.
   */
  static takeOver(reply: FastifyReply): NodeSseConnection {
    reply.hijack();
    const headers = { ...reply.getHeaders(), ...SSE_HEADERS } as OutgoingHttpHeaders;
    const { raw: response } = reply;
    // Headers set one by one (Nest copies the CORS ones onto every response) make Node keep a
    // map of them for the response's lifetime (~0.9 KB); without one it writes them from ours.
    forgetHeaderMap(response);
    response.writeHead(200, headers);
    flatten(response);
    // Every header was read when the stream was set up (the access log takes its fields first).
    reply.request.raw.headers = {};
    reply.request.raw.rawHeaders = [];
    // The idle timeout (a timer per socket) cannot fire on a stream: the hub writes a heartbeat
    // at least every 15 s, and ends a stream whose client stopped reading.
    response.socket?.setTimeout(0);
    return new NodeSseConnection(response);
  }

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
    // A client gone before the stream was attached: its close was already emitted.
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

/** Where Node keeps the header text it sent (a property of long standing, not documented). */
const SENT_HEADER = '_header';

/**
 * Node keeps the header text it sent (`_header`) as built, one string piece per header part
 * (~1 KB); reading it as a number makes V8 flatten it in place into one string of its length.
 */
function flatten(response: ServerResponse): void {
  const sent = (response as unknown as Record<string, unknown>)[SENT_HEADER];
  if (typeof sent === 'string') {
    void Number(sent);
  }
}
