import type { RelayProcess } from './relay-process.js';

export interface StreamState {
  at: number;
  /** The primary's upstream stream (`streamStatus.state` of `/health`), or `no answer`. */
  state: string;
}

/**
 * Asks the primary's `/health` every second and keeps each change of its upstream stream's
 * state: how long the stream stayed down after a fault shows there, not in SDK reads.
 */
export class StreamWatch {
  readonly changes: StreamState[] = [];
  private timer?: NodeJS.Timeout;
  private asking = false;

  constructor(private readonly primary: RelayProcess) {}

  start(): void {
    this.timer = setInterval(() => void this.ask(), 1_000);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async ask(): Promise<void> {
    if (this.asking) {
      return;
    }
    this.asking = true;
    const state = await fetch(`${this.primary.url}/health`, { signal: AbortSignal.timeout(900) })
      .then((r) => r.json() as Promise<{ streamStatus?: { state?: string } }>)
      .then((body) => body.streamStatus?.state ?? 'no stream status')
      .catch(() => 'no answer');
    this.asking = false;
    if (this.changes.at(-1)?.state !== state) {
      this.changes.push({ at: Date.now(), state });
    }
  }
}
