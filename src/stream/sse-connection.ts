/**
 * One SDK's held `/stream` response, as the hub sees it: no HTTP framework types here, so the hub
 * can be reasoned about (and tested) without a server.
 */
export interface SseConnection {
  /**
   * Writes one whole frame; returns false when the socket buffer is full. An event goes to every
   * stream of its environment as the same bytes, encoded once.
   */
  write(frame: Uint8Array): boolean;
  /** Bytes queued but not yet flushed to the socket. */
  readonly pendingBytes: number;
  /** Ends the response cleanly (final empty chunk), as the Go proxy does. */
  close(): void;
  onClose(listener: () => void): void;
}
