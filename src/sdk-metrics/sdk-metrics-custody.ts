import { streamIdAtLeast } from '../cache/streams/stream-ids.js';

/** One SDK request's metrics as appended to `stream:sdk_metrics`. */
export interface Appended {
  /** The stream id Redis gave it (it changes when it is appended again). */
  id: string;
  json: string;
  /** Lets the primary skip it if it is read twice. */
  producerId: string;
}

/**
 * What this instance appended to the metrics stream and the primary has not yet reported
 * forwarded (its stored position is still before it). Redis without persistence can come back
 * empty, or a cluster can fail over to a replica that had not received the append: what is kept
 * here is then appended again. At most `maxBytes` are kept, the oldest let go first: those are
 * then only as safe as Redis.
 */
export class SdkMetricsCustody {
  private entries: Appended[] = [];
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  get size(): number {
    return this.entries.length;
  }

  /** The oldest kept, the one whose presence in the stream tells whether Redis lost any. */
  get oldest(): Appended | undefined {
    return this.entries[0];
  }

  keep(entry: Appended): void {
    this.entries.push(entry);
    this.bytes += entry.json.length;
    while (this.bytes > this.maxBytes && this.entries.length > 1) {
      const released = this.entries.shift() as Appended;
      this.bytes -= released.json.length;
    }
  }

  /** Lets go of what the primary's stored position has passed: it reached the upstream. */
  forwardedUpTo(position: string): void {
    const first = this.entries.findIndex((entry) => !streamIdAtLeast(position, entry.id));
    const gone = first < 0 ? this.entries : this.entries.slice(0, first);
    gone.forEach((entry) => (this.bytes -= entry.json.length));
    this.entries = first < 0 ? [] : this.entries.slice(first);
  }

  /** Everything kept, oldest first, handed over to be appended again (and kept anew). */
  takeAll(): Appended[] {
    const all = this.entries;
    this.entries = [];
    this.bytes = 0;
    return all;
  }
}
