/** A bound on the targets memory keeps: SDK traffic, not config, decides how many there are. */
const MAX_TARGETS = 10_000;
/** And by size: targets come from clients (a target header may be hundreds of kB). */
const MAX_TARGET_BYTES = 32 * 1024 * 1024;

export interface MirrorEntry {
  /**
   * The stored text, kept until first decoded; null when the store has no such key. Lists are
   * kept as bytes outside the JS heap: a primary holds every environment's lists undecoded, and
   * V8 sizes its heap (and so the process) after what the heap holds (docs/performance.md).
   */
  raw: string | Buffer | null;
  version: string;
  decoded?: unknown;
  checkedAt: number;
  /**
   * Characters of the stored text: targets are bounded by size as well as count, and lists
   * tell how much config memory holds ({@link MemoryMirror.configBytes}).
   */
  size?: number;
}

/** The same content keeps its decoded object, so memoised responses survive a rewrite. */
export function reuseEntry(
  known: MirrorEntry | undefined,
  raw: string | null,
  version: string,
  now: number,
): MirrorEntry {
  if (known && known.version === version && (known.raw === null) === (raw === null)) {
    known.checkedAt = now;
    return known;
  }
  return { raw, version, checkedAt: now };
}

/** Recently used targets, oldest evicted first, bounded by count and by size. */
export class TargetEntries {
  private readonly entries = new Map<string, MirrorEntry>();
  private bytes = 0;

  get size(): number {
    return this.entries.size;
  }

  get(key: string): MirrorEntry | undefined {
    return this.entries.get(key);
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  put(key: string, raw: string | null, version: string, now: number): void {
    const known = this.entries.get(key);
    // Targets are never deleted upstream; an emptied Redis must not erase what we know.
    if (raw === null && known && known.raw !== null) {
      known.checkedAt = now;
      return;
    }
    this.delete(key);
    const entry = reuseEntry(known, raw, version, now);
    entry.size = raw?.length ?? 0;
    this.bytes += entry.size;
    this.entries.set(key, entry);
    this.evict();
  }

  delete(key: string): void {
    this.bytes -= this.entries.get(key)?.size ?? 0;
    this.entries.delete(key);
  }

  /** Oldest first, until the targets fit both bounds. */
  private evict(): void {
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= MAX_TARGETS && this.bytes <= MAX_TARGET_BYTES) {
        return;
      }
      this.entries.delete(key);
      this.bytes -= entry.size ?? 0;
    }
  }
}

export function bounded<V>(map: Map<string, V>, max: number): Map<string, V> {
  while (map.size >= max) {
    const oldest = map.keys().next().value;
    if (oldest === undefined) {
      break;
    }
    map.delete(oldest);
  }
  return map;
}

export function decodeList(raw: string | Buffer | null): unknown[] {
  const parsed: unknown = raw?.length ? JSON.parse(raw.toString()) : [];
  return Array.isArray(parsed) ? parsed : [];
}

/** Key values are JSON strings (`"<uuid>"`, quotes included); tolerate a bare value too. */
export function parseJsonString(raw: string): string {
  if (raw.startsWith('"')) {
    const parsed: unknown = JSON.parse(raw);
    return typeof parsed === 'string' ? parsed : raw;
  }
  return raw;
}
