/**
 * How many times something happened in the last `windowSeconds`, in constant memory: one counter
 * per second in a ring, so a hot path can count every call without keeping a timestamp each.
 */
export class SlidingCount {
  private readonly counts: number[];
  private readonly seconds: number[];

  constructor(private readonly windowSeconds: number) {
    this.counts = Array.from({ length: windowSeconds }, () => 0);
    this.seconds = Array.from({ length: windowSeconds }, () => -1);
  }

  add(now = Date.now()): void {
    const second = Math.floor(now / 1000);
    const slot = second % this.windowSeconds;
    if (this.seconds[slot] !== second) {
      this.seconds[slot] = second;
      this.counts[slot] = 0;
    }
    this.counts[slot] = (this.counts[slot] ?? 0) + 1;
  }

  total(now = Date.now()): number {
    const oldest = Math.floor(now / 1000) - this.windowSeconds;
    return this.counts.reduce(
      (sum, count, slot) => ((this.seconds[slot] ?? -1) > oldest ? sum + count : sum),
      0,
    );
  }
}
