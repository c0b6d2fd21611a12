/**
 * The longest grace period the Admin API gives a retired secret or key: 30 days. Long enough to
 * restart every app that uses the relay; bounded so that a typo (`9999999h`) can neither keep a
 * retired secret valid for centuries nor push a time past what a date can hold.
 */
export const MAX_GRACE_PERIOD = '720h';
export const MAX_GRACE_MS = 720 * 3_600_000;
