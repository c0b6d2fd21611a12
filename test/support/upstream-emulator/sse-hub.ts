import type { ServerResponse } from 'node:http';

/** SaaS heartbeats are bare comment blocks; the proxy counts any data-less block as one. */
export const HEARTBEAT = ':\n\n';

/** Which streams an action applies to: by proxy key identifier and the raw keys it was opened with. */
export type StreamFilter = (keyId: string, rawKeys: readonly string[]) => boolean;

interface OpenStream {
  raw: ServerResponse;
  keyId: string;
  /** The raw proxy keys it was opened with (the token's and the `API-Key` header's). */
  rawKeys: readonly string[];
  /** A stalled stream models a half-open connection: the socket stays, nothing is sent. */
  stalled: boolean;
}

/** The open `/stream` responses, their heartbeats, and the ways tests can break them. */
export class SseHub {
  private readonly streams = new Set<OpenStream>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly heartbeatMs: number,
    private readonly heartbeatOnConnect: boolean,
  ) {}

  get openCount(): number {
    return this.streams.size;
  }

  open(raw: ServerResponse, keyId: string, rawKeys: readonly string[]): void {
    raw.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
    });
    const stream: OpenStream = { raw, keyId, rawKeys, stalled: false };
    this.streams.add(stream);
    raw.on('close', () => this.streams.delete(stream));
    // A write racing a client disconnect must not become an unhandled 'error' event.
    raw.on('error', () => this.streams.delete(stream));
    // The proxy's on-connect fires on the first block, so an immediate heartbeat saves tests
    // a whole heartbeat interval; switch it off to see how the proxy copes with silence.
    if (this.heartbeatOnConnect) {
      raw.write(HEARTBEAT);
    } else {
      raw.flushHeaders();
    }
    this.timer ??= setInterval(() => this.send(HEARTBEAT), this.heartbeatMs).unref();
  }

  /** Writes a frame to every live stream whose proxy key passes `to`; returns how many. */
  send(frame: string, to: StreamFilter = () => true): number {
    let sent = 0;
    for (const stream of this.streams) {
      if (!stream.stalled && !stream.raw.destroyed && to(stream.keyId, stream.rawKeys)) {
        stream.raw.write(frame);
        sent += 1;
      }
    }
    return sent;
  }

  /** Destroys the sockets: the client sees a reset, not a clean end. */
  cut(to: StreamFilter = () => true): void {
    this.each(to, (stream) => stream.raw.destroy());
  }

  /** Ends the responses cleanly (terminating chunk): the client sees EOF. */
  end(to: StreamFilter = () => true): void {
    this.each(to, (stream) => stream.raw.end());
  }

  stall(): number {
    this.streams.forEach((stream) => (stream.stalled = true));
    return this.streams.size;
  }

  close(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.cut();
  }

  private each(to: StreamFilter, action: (stream: OpenStream) => void): void {
    for (const stream of this.streams) {
      if (to(stream.keyId, stream.rawKeys)) {
        this.streams.delete(stream);
        action(stream);
      }
    }
  }
}
