/** One dispatched SSE event (a block with at least one `data:` line). */
export interface SseEvent {
  /** The `event:` field, if the block had one (SaaS and the proxy send `*`). */
  event?: string;
  /** All `data:` lines joined with `\n`. */
  data: string;
  id?: string;
  retry?: number;
}

export interface SseParserSink {
  onEvent(event: SseEvent): void;
  /** A block without data, e.g. the `:` comment Harness uses as a heartbeat. */
  onHeartbeat(): void;
}

interface Block {
  event?: string;
  data: string[];
  id?: string;
  retry?: number;
  /** True once the block had any line at all, so that stray blank lines are not heartbeats. */
  seen: boolean;
}

const emptyBlock = (): Block => ({ data: [], seen: false });

/** Incremental parser for the text/event-stream format (WHATWG HTML §9.2.6). */
export class SseParser {
  private buffer = '';
  private block = emptyBlock();

  constructor(private readonly sink: SseParserSink) {}

  feed(text: string): void {
    this.buffer += text;
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.buffer);
      // A trailing CR may be the first half of a CRLF split across chunks: wait for more.
      if (!match || (match[0] === '\r' && match.index === this.buffer.length - 1)) {
        return;
      }
      const line = this.buffer.slice(0, match.index);
      this.buffer = this.buffer.slice(match.index + match[0].length);
      this.line(line);
    }
  }

  private line(line: string): void {
    if (line === '') {
      this.dispatch();
      return;
    }
    this.block.seen = true;
    if (line.startsWith(':')) {
      return;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') {
      this.block.event = value;
    } else if (field === 'data') {
      this.block.data.push(value);
    } else if (field === 'id') {
      this.block.id = value;
    } else if (field === 'retry' && /^\d+$/.test(value)) {
      this.block.retry = Number(value);
    }
  }

  private dispatch(): void {
    const { event, data, id, retry, seen } = this.block;
    this.block = emptyBlock();
    if (data.length > 0) {
      this.sink.onEvent({
        data: data.join('\n'),
        ...(event === undefined ? {} : { event }),
        ...(id === undefined ? {} : { id }),
        ...(retry === undefined ? {} : { retry }),
      });
    } else if (seen) {
      this.sink.onHeartbeat();
    }
  }
}
