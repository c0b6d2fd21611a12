/**
 * Re-reads of state other instances change, bounded whatever asks for them: one at a time, at
 * most every `minGapMs`. `since` waits for a read that started at or after a moment, for a
 * caller that must not act on a view older than its own request.
 */
export class FreshReads {
  private running?: Promise<void>;
  private doneAt = 0;
  private startedAt = 0;
  private failed = false;

  constructor(
    private readonly read: () => Promise<void>,
    private readonly minGapMs: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** Whether the last read failed (the state could not be read: the view may be old). */
  get lastFailed(): boolean {
    return this.failed;
  }

  /** A read, unless one ended less than `minGapMs` ago; joins the one under way. */
  freshen(): Promise<void> {
    if (Date.now() - this.doneAt < this.minGapMs) {
      return Promise.resolve();
    }
    if (!this.running) {
      this.startedAt = Date.now();
      this.running = this.read()
        .then(() => {
          this.failed = false;
        })
        .catch((err: unknown) => {
          this.failed = true;
          this.onError(err);
        })
        .finally(() => {
          this.doneAt = Date.now();
          this.running = undefined;
        });
    }
    return this.running;
  }

  /** Waits (at most `minGapMs`, plus one read) for a read that started at or after `since`. */
  async since(since: number): Promise<void> {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      if (this.running) {
        await this.running;
      }
      if (this.startedAt >= since) {
        return;
      }
      const wait = this.doneAt + this.minGapMs - Date.now();
      if (wait > 0) {
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
      await this.freshen();
    }
  }
}
