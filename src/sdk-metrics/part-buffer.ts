import { jsonBytes } from './sdk-metrics-batch.js';

/** One environment's buffered entries of one kind, as drained for a POST or retained for retry. */
export interface BufferedPart<T> {
  env: string;
  entries: T[];
  /** Estimated size: the request bytes that grew it, or the entries' JSON size once retried. */
  bytes: number;
  /** Failed POST attempts so far. */
  failures: number;
  /** When its oldest data was buffered (epoch ms); overflow drops the oldest first. */
  since: number;
}

/** How one kind of entry is keyed, merged into an entry already held, and copied on the way in. */
export interface PartRules<T> {
  keyOf(entry: T): string;
  merge(kept: T, entry: T): void;
  copy(entry: T): T;
}

interface Slot<T> {
  entries: Map<string, T>;
  bytes: number;
  failures: number;
  since: number;
}

/**
 * Per-environment entries of one kind, merged by key (the first entry seen for a key is kept).
 * Pure: no I/O, no clock of its own.
 */
export class PartBuffer<T> {
  private readonly slots = new Map<string, Slot<T>>();

  constructor(private readonly rules: PartRules<T>) {}

  /** Total estimated bytes held. */
  get bytes(): number {
    let total = 0;
    for (const slot of this.slots.values()) {
      total += slot.bytes;
    }
    return total;
  }

  /** Merges in one request's entries; returns the bytes counted (0 if no new key was added). */
  add(env: string, entries: readonly T[], now: number): number {
    if (entries.length === 0) {
      return 0;
    }
    const slot = this.slotOf(env, now);
    let grew = false;
    for (const entry of entries) {
      grew = this.put(slot, entry) || grew;
    }
    // Go's rule: a request that only adds to counts already held does not grow the batch.
    const bytes = grew ? jsonBytes(entries) : 0;
    slot.bytes += bytes;
    return bytes;
  }

  /** Removes and returns everything, one part per environment. */
  drain(): BufferedPart<T>[] {
    const parts = [...this.slots.keys()].map((env) => this.take(env));
    return parts.filter((part): part is BufferedPart<T> => part !== undefined);
  }

  /** Merges a part whose POST failed back in, ahead of anything buffered since. */
  restore(part: BufferedPart<T>): void {
    const slot = this.slotOf(part.env, part.since);
    slot.since = Math.min(slot.since, part.since);
    slot.failures = Math.max(slot.failures, part.failures);
    for (const entry of part.entries) {
      this.put(slot, entry);
    }
    slot.bytes += jsonBytes(part.entries);
  }

  /** Removes and returns one environment's part. */
  take(env: string): BufferedPart<T> | undefined {
    const slot = this.slots.get(env);
    if (!slot) {
      return undefined;
    }
    this.slots.delete(env);
    const { bytes, failures, since } = slot;
    return { env, entries: [...slot.entries.values()], bytes, failures, since };
  }

  /** Each environment held, with its age and size, for overflow decisions. */
  summary(): { env: string; since: number; bytes: number }[] {
    return [...this.slots].map(([env, { since, bytes }]) => ({ env, since, bytes }));
  }

  private slotOf(env: string, now: number): Slot<T> {
    let slot = this.slots.get(env);
    if (!slot) {
      slot = { entries: new Map(), bytes: 0, failures: 0, since: now };
      this.slots.set(env, slot);
    }
    return slot;
  }

  /** Returns true when the entry added a new key. */
  private put(slot: Slot<T>, entry: T): boolean {
    const key = this.rules.keyOf(entry);
    const kept = slot.entries.get(key);
    if (kept === undefined) {
      slot.entries.set(key, this.rules.copy(entry));
      return true;
    }
    this.rules.merge(kept, entry);
    return false;
  }
}
