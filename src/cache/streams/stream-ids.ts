/**
 * Whether Redis stream id `a` (`<ms>-<seq>`) is the same as or later than `b`. Compared as two
 * decimals without leading zeros (by length, then as strings), exact beyond 2^53.
 */
export function streamIdAtLeast(a: string, b: string): boolean {
  const [aMs = '', aSeq = ''] = a.split('-');
  const [bMs = '', bSeq = ''] = b.split('-');
  if (aMs !== bMs) {
    return later(aMs, bMs);
  }
  return aSeq === bSeq || later(aSeq, bSeq);
}

function later(a: string, b: string): boolean {
  return a.length !== b.length ? a.length > b.length : a > b;
}
