/** Up to this share of the max age is added at random, so streams opened together end apart. */
export const MAX_AGE_JITTER = 0.25;

/**
 * When a stream opened at `now` is to be ended: after `maxAgeMs` plus up to 25 % of it, or never
 * when there is no max age. The jitter matters after a deploy or a scale-out, when many streams
 * open within seconds: ending them all at once would be a reconnect storm of its own.
 */
export function streamDeadline(now: number, maxAgeMs: number, random = Math.random): number {
  if (maxAgeMs <= 0) {
    return Number.POSITIVE_INFINITY;
  }
  return now + maxAgeMs * (1 + MAX_AGE_JITTER * random());
}
