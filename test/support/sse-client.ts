import { SseParser, type SseEvent } from './sse-parser.js';

export type { SseEvent } from './sse-parser.js';

export interface SseClientOptions {
  headers?: Record<string, string>;
  /** Give up if no response headers arrive within this time; default 10 s. */
  connectTimeoutMs?: number;
}

/** How the stream ended: clean EOF, a network error (reset), or our own `close()`. */
export type SseEnd = { kind: 'eof' } | { kind: 'error'; error: unknown } | { kind: 'closed' };

/**
 * A small SSE reader over global fetch for tests: keeps the raw chunks, the parsed events and
 * a heartbeat count, and lets a test wait for any of them with a timeout.
 */
export class SseClient {
  /** Decoded body chunks in arrival order (the exact bytes, for wire-format assertions). */
  readonly chunks: string[] = [];
  /** Every event received so far; `next()` walks this list. */
  readonly received: SseEvent[] = [];
  /** Data-less blocks received, i.e. SaaS `:` heartbeats or the proxy's keep-alives. */
  heartbeats = 0;
  /** Resolves when the stream is over, however it ended. */
  readonly ended: Promise<SseEnd>;

  private ending: SseEnd | undefined;
  private cursor = 0;
  private readonly listeners = new Set<() => void>();
  private resolveEnded: (end: SseEnd) => void = () => undefined;

  private constructor(
    readonly status: number,
    readonly headers: Headers,
    /** The body of a non-200 answer. */
    readonly errorBody: string | undefined,
    private readonly abort: AbortController,
  ) {
    this.ended = new Promise((resolve) => (this.resolveEnded = resolve));
  }

  /** Resolves once response headers arrive; check `status` (non-200 bodies are read fully). */
  static async connect(url: string | URL, options: SseClientOptions = {}): Promise<SseClient> {
    const abort = new AbortController();
    const headers = { Accept: 'text/event-stream', ...options.headers };
    const timer = setTimeout(() => abort.abort(), options.connectTimeoutMs ?? 10_000);
    const response = await fetch(url, { headers, signal: abort.signal }).finally(() =>
      clearTimeout(timer),
    );
    if (response.status !== 200 || !response.body) {
      const body = await response.text();
      const client = new SseClient(response.status, response.headers, body, abort);
      client.finish({ kind: 'eof' });
      return client;
    }
    const client = new SseClient(response.status, response.headers, undefined, abort);
    void client.pump(response.body);
    return client;
  }

  /** How the stream ended; undefined while it is open. */
  get end(): SseEnd | undefined {
    return this.ending;
  }

  /** Everything received so far, as one string. */
  get text(): string {
    return this.chunks.join('');
  }

  /** The next event not yet returned by `next()`; rejects on timeout or end of stream. */
  next(timeoutMs = 5000): Promise<SseEvent> {
    return this.until(() => this.take(), timeoutMs, 'an event');
  }

  async *events(): AsyncGenerator<SseEvent> {
    while (!this.end || this.cursor < this.received.length) {
      const event = await this.next(Number.POSITIVE_INFINITY).catch(() => undefined);
      if (!event) {
        return;
      }
      yield event;
    }
  }

  /** Resolves when `predicate` holds (re-checked on every chunk and at the end). */
  async waitFor(
    predicate: () => boolean,
    timeoutMs = 10_000,
    what = 'the condition',
  ): Promise<void> {
    await this.until(() => (predicate() ? true : undefined), timeoutMs, what);
  }

  close(): void {
    this.finish({ kind: 'closed' });
    this.abort.abort();
  }

  private take(): SseEvent | undefined {
    const event = this.received[this.cursor];
    if (event) {
      this.cursor += 1;
    }
    return event;
  }

  private async pump(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    const parser = new SseParser({
      onEvent: (event) => this.received.push(event),
      onHeartbeat: () => (this.heartbeats += 1),
    });
    try {
      for await (const bytes of body) {
        const text = decoder.decode(bytes, { stream: true });
        this.chunks.push(text);
        parser.feed(text);
        this.notify();
      }
      this.finish({ kind: 'eof' });
    } catch (error) {
      this.finish({ kind: 'error', error });
    }
  }

  private finish(end: SseEnd): void {
    if (!this.ending) {
      this.ending = end;
      this.resolveEnded(end);
      this.notify();
    }
  }

  private notify(): void {
    this.listeners.forEach((listener) => listener());
  }

  private until<T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const listener = (): void => {
        const value = check();
        if (value !== undefined) {
          settle(() => resolve(value));
        } else if (this.end) {
          settle(() => reject(new Error(`SSE stream ended (${this.end?.kind}) before ${what}`)));
        }
      };
      const timer = Number.isFinite(timeoutMs)
        ? setTimeout(
            () => settle(() => reject(new Error(`no ${what} within ${timeoutMs} ms`))),
            timeoutMs,
          )
        : undefined;
      const settle = (action: () => void): void => {
        clearTimeout(timer);
        this.listeners.delete(listener);
        action();
      };
      this.listeners.add(listener);
      listener();
    });
  }
}
