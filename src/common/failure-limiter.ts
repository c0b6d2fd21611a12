/**
 * Failed attempts per client address in a sliding window: past `limit` the address must wait
 * until its oldest failure leaves the window. Successes are not counted. Bounded in memory: at
 * most `maxAddresses` addresses, the least recently failing forgotten first.
 */
export class FailureLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly maxAddresses = 10_000,
  ) {}

  /** Whole seconds `address` must still wait; 0 when it may try now. */
  retryAfterSeconds(address: string, now = Date.now()): number {
    const recent = this.recent(address, now);
    const oldest = recent[0];
    if (recent.length < this.limit || oldest === undefined) {
      return 0;
    }
    return Math.max(1, Math.ceil((oldest + this.windowMs - now) / 1000));
  }

  fail(address: string, now = Date.now()): void {
    const recent = [...this.recent(address, now), now].slice(-this.limit);
    // Re-inserted, so the map's order is the order of the last failure of each address.
    this.failures.delete(address);
    this.failures.set(address, recent);
    if (this.failures.size > this.maxAddresses) {
      const [oldest] = this.failures.keys();
      this.failures.delete(oldest ?? address);
    }
  }

  private recent(address: string, now: number): number[] {
    return (this.failures.get(address) ?? []).filter((at) => at > now - this.windowMs);
  }
}
