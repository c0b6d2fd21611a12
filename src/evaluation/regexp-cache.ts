/** What the cache stores: a compiled RE2 or JS pattern, or anything else that can test a string. */
export interface CompiledPattern {
  test(input: string): boolean;
}

/**
 * Memoises pattern compilation per source string, including failures (`null`). Sources come from
 * flag and segment configuration, so the bound only matters for pathological configs: a miss on
 * a full cache starts over rather than tracking recency on every hit.
 */
export class RegExpCache<P extends CompiledPattern = CompiledPattern> {
  private readonly entries = new Map<string, P | null>();

  constructor(
    private readonly compile: (source: string) => P | null,
    private readonly maxEntries = 1_000,
  ) {}

  get(source: string): P | null {
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
