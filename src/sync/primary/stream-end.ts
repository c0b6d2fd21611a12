/** Harness asked us to reconnect (an `endOfStream` message): the abort reason we give. */
export const END_OF_STREAM = new Error('endOfStream received');

/** How the end of one upstream stream is logged: its level and fields. */
export interface StreamEndLine {
  level: 'info' | 'warn';
  fields: { err?: unknown; reason: string; liveMs?: number; retryInMs: number };
}

/**
 * The line for a stream that ended, or none for one we aborted ourselves (a key switch or
 * shutdown: whoever aborted it says so). Expected ends are info, not warnings: upstream ended it
 * cleanly or asked for a reconnect, or an operator's proxy-key change is under way (Harness cuts
 * the old key's stream before the rotation call answers). The rest are faults: warn.
 */
export function streamEndLine(
  err: unknown,
  liveMs: number | undefined,
  retryInMs: number,
  keyChanging: boolean,
): StreamEndLine | undefined {
  if ((err as { name?: unknown } | undefined)?.name === 'AbortError') {
    return undefined;
  }
  const withErr = err === undefined || err === END_OF_STREAM ? {} : { err };
  const reason = keyChanging
    ? 'proxy key change'
    : err === undefined
      ? 'ended by upstream'
      : err === END_OF_STREAM
        ? 'endOfStream'
        : 'failed';
  const expected = reason !== 'failed';
  return { level: expected ? 'info' : 'warn', fields: { ...withErr, reason, liveMs, retryInMs } };
}
