/** The first wait after the immediate retry failed; each later one doubles. */
export const FIRST_BACKOFF_MS = 1_000;
/** Waits never grow past this (nor past the poll interval, see the constructor). */
export const MAX_BACKOFF_MS = 30_000;
/** A stream that stayed live this long counts as healthy: its end is a fresh drop. */
export const STABLE_STREAM_MS = 10_000;

/**
 * How long to wait before each attempt to reopen the upstream stream. After a drop the first
 * attempt goes at once (most drops are a proxy or load balancer closing an idle or old
 * connection, and a healthy upstream answers at once); then 1 s, 2 s, 4 s… up to the cap, each
 * drawn at random from the upper half of its step so that many relays cut at the same moment
 * do not all come back in the same instant.
 */
export class ReconnectBackoff {
  private failures = 0;
  private readonly capMs: number;

  /**
   * `pollIntervalMs` also caps the waits: the stream is never retried less often than the
   * config is polled while it is down (the Harness relay retries it every poll interval).
   */
  constructor(
    pollIntervalMs: number,
    private readonly random: () => number = Math.random,
  ) {
    this.capMs = Math.min(MAX_BACKOFF_MS, pollIntervalMs);
  }

  /** The wait before the next attempt; 0 means at once. */
  next(): number {
    const step = this.failures;
    this.failures += 1;
    if (step === 0) {
      return 0;
    }
    const ceiling = Math.min(this.capMs, FIRST_BACKOFF_MS * 2 ** Math.min(step - 1, 30));
    return Math.round(ceiling / 2 + (this.random() * ceiling) / 2);
  }

  /** The stream was healthy (or is reopened on purpose): the next attempt goes at once. */
  reset(): void {
    this.failures = 0;
  }
}
