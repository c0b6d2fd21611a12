import type { ServerResponse } from 'node:http';
import type { SseConnection } from './sse-connection.js';

/** An {@link SseConnection} over Node's raw response, which the stream route takes over. */
export class NodeSseConnection implements SseConnection {
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
    // A client gone before the stream was attached: its close was already emitted.
    if (this.response.closed) {
      queueMicrotask(listener);
      return;
    }
    this.response.once('close', listener);
  }
}
