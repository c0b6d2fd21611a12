import type { SseConnection } from './sse-connection.js';

/**
 * What a stream is sent: Harness SDK events (`sdk`), or only the frames another module
 * broadcasts to its kind (`ofrep`). Every kind shares the heartbeats, max age and endings.
 */
export type StreamKind = 'sdk' | 'ofrep';

export interface AttachOptions {
  /** The SDK key the stream was opened with (its hash): a removed key ends its streams. */
  keyHash?: string;
  /** The fingerprint of the secret that signed its token: a retired secret ends its streams. */
  secret?: string;
  kind?: StreamKind;
  /** Sent before the first heartbeat, instead of the replay SDK streams get. */
  first?: string;
}

export interface Subscriber {
  kind: StreamKind;
  connection: SseConnection;
  lastWriteAt: number;
  /** When the stream is ended so its SDK reconnects, maybe to a newer instance. */
  endAt: number;
  /** The SDK key the stream was opened with (its hash): a removed key ends its streams. */
  keyHash?: string;
  /** The fingerprint of the secret that signed its token: a retired secret ends its streams. */
  secret?: string;
}
