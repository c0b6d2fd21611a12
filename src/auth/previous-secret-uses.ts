import type { FleetCounts } from '../cache/streams/fleet-counts.js';

const SUBJECT = 'previous-secret-uses';
/** The window shown: the current minute and the 5 before it. */
const WINDOW_MINUTES = 5;

/**
 * SDK requests authenticated with a previous secret, per secret, across every instance: the
 * signal of the rotation runbook. SDK traffic goes to replicas while the Admin API is asked on
 * the primary, so each instance counts on its request path (in memory), adds its counts to Redis
 * on every sync, and reads back the fleet's.
 */
export class PreviousSecretUses {
  private pending = new Map<string, number>();
  private fleet = new Map<string, number>();

  constructor(private readonly counts: FleetCounts) {}

  add(fingerprint: string): void {
    this.pending.set(fingerprint, (this.pending.get(fingerprint) ?? 0) + 1);
  }

  /** Flushes this instance's counts and reads the fleet's (while a previous secret is live). */
  async sync(watching: boolean): Promise<void> {
    const deltas = this.pending;
    this.pending = new Map();
    try {
      await this.counts.add(SUBJECT, deltas, WINDOW_MINUTES);
    } catch (err) {
      // Counted again at the next sync.
      deltas.forEach((n, name) => this.pending.set(name, (this.pending.get(name) ?? 0) + n));
      throw err;
    }
    this.fleet =
      watching || this.fleet.size > 0
        ? await this.counts.totals(SUBJECT, WINDOW_MINUTES)
        : new Map();
  }

  of(fingerprint: string): number {
    return (this.fleet.get(fingerprint) ?? 0) + (this.pending.get(fingerprint) ?? 0);
  }

  total(): number {
    let sum = 0;
    this.fleet.forEach((n) => (sum += n));
    this.pending.forEach((n) => (sum += n));
    return sum;
  }
}
