import { END_OF_STREAM, streamEndLine } from './stream-end.js';

describe(streamEndLine.name, () => {
  it('says nothing of a stream we aborted ourselves (key switch, shutdown)', () => {
    const aborted = new DOMException('This operation was aborted', 'AbortError');
    expect(streamEndLine(aborted, 100, 0, false)).toBeUndefined();
  });

  it('warns of a failure with the error, how long it was live and when the next attempt is', () => {
    const err = new TypeError('terminated');
    expect(streamEndLine(err, 2500, 0, false)).toEqual({
      level: 'warn',
      fields: { err, reason: 'failed', liveMs: 2500, retryInMs: 0 },
    });
  });

  it('is info for an end upstream chose and for a cut during a proxy-key change', () => {
    expect(streamEndLine(undefined, 10, 0, false)).toMatchObject({
      level: 'info',
      fields: { reason: 'ended by upstream' },
    });
    expect(streamEndLine(END_OF_STREAM, 10, 0, false)).toEqual({
      level: 'info',
      fields: { reason: 'endOfStream', liveMs: 10, retryInMs: 0 },
    });
    expect(streamEndLine(new TypeError('terminated'), 10, 0, true)).toMatchObject({
      level: 'info',
      fields: { reason: 'proxy key change' },
    });
  });
});
