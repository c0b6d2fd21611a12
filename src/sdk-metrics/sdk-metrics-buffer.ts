import {
  aggregationKey,
  type MetricsEntry,
  type PartEntries,
  type PartKind,
  type SdkMetricsBatch,
  type TargetEntry,
} from './sdk-metrics-batch.js';
import { type BufferedPart, PartBuffer } from './part-buffer.js';

/** Everything buffered, per kind and environment, as taken out for a flush. */
export type DrainedMetrics = { [K in PartKind]: BufferedPart<PartEntries[K]>[] };

/** A part given up to keep the buffer bounded. */
export interface EvictedPart {
  kind: PartKind;
  env: string;
  entries: number;
  bytes: number;
}

/**
 * The primary's in-memory batch of SDK metrics (docs/upstream.md), per environment:
 * `metricsData` aggregated by flag, variation, SDK language and version (the first entry seen
 * is kept, later counts are added to it, attributes are never rewritten) and `targetData`
 * concatenated. Pure: the clock is injected and nothing here does I/O.
 */
export class SdkMetricsBuffer {
  private readonly metrics = new PartBuffer<MetricsEntry>({
    keyOf: aggregationKey,
    merge: (kept, entry) => {
      kept.count += entry.count;
    },
    // A copy, because merging changes `count` and the SDK's request object is not ours.
    copy: (entry) => ({ ...entry }),
  });

  // Harness concatenates targetData without de-duplication. We keep the first entry per
  // identifier and environment instead: SaaS gains nothing from the same target twice in one
  // POST, it only costs bytes (every Node and Go SDK process sends each target once anyway).
  private readonly targets = new PartBuffer<TargetEntry>({
    keyOf: (target) => target.identifier,
    merge: () => undefined,
    copy: (target) => target,
  });

  private pending = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /**
   * JSON bytes of the SDK requests that grew the buffer since the last drain; the flush trigger.
   * Unlike Go (where a request posted straight to the primary counts 0) every request counts.
   */
  get pendingBytes(): number {
    return this.pending;
  }

  /** Estimated bytes held, including parts kept for retry. */
  get retainedBytes(): number {
    return this.metrics.bytes + this.targets.bytes;
  }

  add(env: string, batch: SdkMetricsBatch): void {
    const now = this.now();
    this.pending += this.metrics.add(env, batch.metricsData ?? [], now);
    this.pending += this.targets.add(env, batch.targetData ?? [], now);
  }

  /** Takes everything out; the caller posts it and restores what failed. */
  drain(): DrainedMetrics {
    this.pending = 0;
    return { metricsData: this.metrics.drain(), targetData: this.targets.drain() };
  }

  /** Merges a part whose POST failed back in, to go out again with the next flush. */
  restore<K extends PartKind>(kind: K, part: BufferedPart<PartEntries[K]>): void {
    this.partBuffer(kind).restore(part);
  }

  /** Drops whole parts, oldest first, until at most `maxBytes` are held; returns what went. */
  evictOldest(maxBytes: number): EvictedPart[] {
    const candidates = [
      ...this.metrics.summary().map((s) => ({ ...s, kind: 'metricsData' as const })),
      ...this.targets.summary().map((s) => ({ ...s, kind: 'targetData' as const })),
    ].sort((a, b) => a.since - b.since);
    const evicted: EvictedPart[] = [];
    let held = this.retainedBytes;
    for (const { kind, env } of candidates) {
      if (held <= maxBytes) {
        break;
      }
      const part = this.partBuffer(kind).take(env);
      if (part) {
        held -= part.bytes;
        evicted.push({ kind, env, entries: part.entries.length, bytes: part.bytes });
      }
    }
    return evicted;
  }

  private partBuffer<K extends PartKind>(kind: K): PartBuffer<PartEntries[K]> {
    return (kind === 'metricsData' ? this.metrics : this.targets) as PartBuffer<PartEntries[K]>;
  }
}
