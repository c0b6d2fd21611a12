import { UpstreamError } from '../upstream/upstream-error.js';

const MIB = 1024 * 1024;

/** A flush starts as soon as this many request bytes are buffered (docs/upstream.md). */
export const FLUSH_AT_BYTES = MIB;

/** Harness documents 60 s as the minimum flush period; shorter settings are raised to it. */
export const MIN_FLUSH_SECONDS = 60;

/**
 * A part that failed this many POSTs in a row is given up (10 minutes at the default period):
 * a transient outage loses nothing, a lasting one does not grow memory without end. Counted per
 * environment and kind; data merged into a part being retried shares its fate.
 */
export const MAX_ATTEMPTS = 10;

/** What may be held for retry at most; beyond it the oldest parts are dropped. */
export const MAX_RETAINED_BYTES = 16 * MIB;

export interface FlushInterval {
  seconds: number;
  /** True when the configured value was below the minimum and has been raised. */
  raised: boolean;
}

/** The flush period for `METRIC_POST_DURATION`; `undefined` (0 or less) disables forwarding. */
export function flushInterval(configuredSeconds: number): FlushInterval | undefined {
  if (!(configuredSeconds > 0)) {
    return undefined;
  }
  return configuredSeconds < MIN_FLUSH_SECONDS
    ? { seconds: MIN_FLUSH_SECONDS, raised: true }
    : { seconds: configuredSeconds, raised: false };
}

/** `retry`: keep the part for the next flush; otherwise why it is given up. */
export type RetryDecision = 'retry' | 'rejected' | 'too-many-attempts';

/**
 * Decides the fate of a part whose POST failed for the `failures`-th time. A 4xx that no retry
 * can cure (400 bad body, 404 unknown environment, 413 too large...) would otherwise poison
 * every later batch of its environment, since retried parts are merged with new data. 401/403
 * (the client already re-authenticated once), 408 and 429 are worth another try.
 */
export function retryDecision(error: unknown, failures: number): RetryDecision {
  const status = error instanceof UpstreamError ? error.status : 0;
  if (status >= 400 && status < 500 && ![401, 403, 408, 429].includes(status)) {
    return 'rejected';
  }
  return failures >= MAX_ATTEMPTS ? 'too-many-attempts' : 'retry';
}
