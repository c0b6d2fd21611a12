/**
 * Memoises RegExp compilation per source string, including failures (`null`). Sources come from
 * flag and segment configuration, so the bound only matters for pathological configs: a miss on
 * a full cache starts over rather than tracking recency on every hit.
 */
export class RegExpCache {
  private readonly entries = new Map<string, RegExp | null>();

  constructor(
    private readonly compile: (source: string) => RegExp | null,
    private readonly maxEntries = 1_000,
  ) {}

  get(source: string): RegExp | null {
    const hit = this.entries.get(source);
    if (hit !== undefined) {
      return hit;
    }
    if (this.entries.size >= this.maxEntries) {
      this.entries.clear();
    }
    const compiled = this.compile(source);
    this.entries.set(source, compiled);
    return compiled;
  }
}
