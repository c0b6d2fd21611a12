import type { MarkerReading } from './sealed-slot.js';

/**
 * What an instance runs on from sealed state: the state's epoch and what is in service. Epoch 0
 * is a value of the previous format; every write since is 1 or more.
 */
export interface Held {
  epoch: number;
  fingerprint: string;
}

/** The stored box as its owner understood it (a box it cannot parse is unreadable). */
export type Stored =
  | { kind: 'missing' }
  | { kind: 'unreadable' }
  | { kind: 'sealed'; epoch: number; fingerprint: string };

export type Verdict =
  /** The stored state is newer than this instance's: use it. */
  | { action: 'adopt'; writeMarker: boolean; note?: string }
  /** The stored state is this instance's. */
  | { action: 'keep'; writeMarker: boolean }
  /** The stored state is gone, damaged or older, and this instance holds the newest: write it. */
  | { action: 'reseal'; reason: 'missing' | 'unreadable' | 'rolled back' | 'diverged' }
  /** Other instances run on state this one cannot have: it must not serve on what it has. */
  | { action: 'conflict'; reason: string; rolledBack: boolean }
  /** Nothing sealed that this instance could follow: it runs on the configured secret. */
  | { action: 'fallback'; rolledBack: boolean; note?: string };

/**
 * How an instance reacts to the sealed state it reads, given what it holds (`held`, undefined
 * while it runs on the configured secret) and the fingerprint of that configured secret. Never
 * goes back to a lower epoch than it holds or than the marker records; see docs/sealed-state.md.
 */
export function judge(
  stored: Stored,
  marker: MarkerReading,
  held: Held | undefined,
  configured: string,
): Verdict {
  // A box that opens was sealed with our secret, so its marker must be ours too: a foreign
  // one beside it was planted.
  const mark: MarkerReading =
    marker.kind === 'foreign' && stored.kind === 'sealed' ? { kind: 'damaged' } : marker;
  const fleet = mark.kind === 'valid' ? mark : undefined;
  const heldEpoch = held?.epoch ?? -1;
  const fleetEpoch = fleet?.epoch ?? -1;
  if (stored.kind === 'sealed' && stored.epoch >= Math.max(heldEpoch, fleetEpoch)) {
    const writeMarker =
      fleet === undefined || fleet.epoch < stored.epoch || fleet.fingerprint !== stored.fingerprint;
    if (stored.epoch === heldEpoch && stored.fingerprint !== held?.fingerprint) {
      // Two writers raced to the same epoch: every instance settles on the same one.
      return stored.fingerprint > (held?.fingerprint ?? '')
        ? { action: 'adopt', writeMarker }
        : { action: 'reseal', reason: 'diverged' };
    }
    if (stored.epoch === heldEpoch) {
      return { action: 'keep', writeMarker };
    }
    const unmarked = held === undefined && fleet === undefined && stored.epoch > 0;
    return {
      action: 'adopt',
      writeMarker,
      ...(unmarked ? { note: 'no valid marker beside it: it may not be the latest' } : {}),
    };
  }
  // Past here the stored box is missing, unreadable, or older than what is known.
  const rolledBack = stored.kind === 'sealed';
  if (held !== undefined && mark.kind !== 'foreign' && heldEpoch >= fleetEpoch) {
    return { action: 'reseal', reason: rolledBack ? 'rolled back' : stored.kind };
  }
  if (held !== undefined) {
    const reason =
      mark.kind === 'foreign'
        ? 'the stored state was written under another configured secret'
        : `the other instances are at epoch ${fleetEpoch}, this one at ${heldEpoch}, and the stored state cannot be followed`;
    return { action: 'conflict', reason, rolledBack };
  }
  if (fleet !== undefined) {
    return fleet.fingerprint === configured
      ? { action: 'fallback', rolledBack }
      : {
          action: 'conflict',
          reason: `the other instances run on ${fleet.fingerprint} (epoch ${fleet.epoch}), which this one cannot read (the stored state is ${rolledBack ? 'older' : stored.kind})`,
          rolledBack,
        };
  }
  const note =
    mark.kind === 'foreign'
      ? 'the stored state was written under another configured secret: ignored'
      : stored.kind === 'unreadable'
        ? 'the stored state cannot be opened with the configured secret: ignored'
        : mark.kind === 'damaged'
          ? 'the marker is damaged and nothing sealed is stored: ignored'
          : undefined;
  return { action: 'fallback', rolledBack, ...(note ? { note } : {}) };
}
