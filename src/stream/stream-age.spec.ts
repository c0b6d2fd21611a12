import { streamDeadline } from './stream-age.js';

describe(streamDeadline.name, () => {
  it('ends a stream between its max age and 25 % later', () => {
    expect(streamDeadline(1_000, 60_000, () => 0)).toBe(61_000);
    expect(streamDeadline(1_000, 60_000, () => 0.5)).toBe(68_500);
    expect(streamDeadline(1_000, 60_000, () => 0.999)).toBeLessThan(76_000);
  });

  it('never ends a stream without a max age', () => {
    expect(streamDeadline(1_000, 0, () => 0.5)).toBe(Number.POSITIVE_INFINITY);
  });
});
