import { createParser } from 'eventsource-parser';
import type { Response } from 'undici';

export interface AccountStreamHandlers {
  /** The first block (event or heartbeat comment) arrived: the stream is live. */
  onLive(): void;
  onData(data: string): void;
}

/**
 * Reads the account-level SSE stream until it ends. Resolves on a clean end, rejects on a read
 * error, and aborts the connection when nothing (not even a heartbeat) arrives for `timeoutMs`:
 * a half-open TCP connection would otherwise hang forever (docs/upstream.md).
 */
export async function readAccountStream(
  response: Response,
  abort: AbortController,
  timeoutMs: number,
  handlers: AccountStreamHandlers,
): Promise<void> {
  let live = false;
  const block = (): void => {
    if (!live) {
      live = true;
      handlers.onLive();
    }
  };
  const parser = createParser({
    onEvent: (event) => {
      block();
      handlers.onData(event.data);
    },
    onComment: block,
  });
  let watchdog = setTimeout(() => abort.abort(new Error('upstream stream went silent')), timeoutMs);
  try {
    const decoder = new TextDecoder();
    for await (const chunk of response.body ?? []) {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => abort.abort(new Error('upstream stream went silent')), timeoutMs);
      parser.feed(decoder.decode(chunk as Uint8Array, { stream: true }));
    }
  } finally {
    clearTimeout(watchdog);
  }
}
