import { parseGoDuration } from './go-duration.js';

describe('parseGoDuration', () => {
  it.each([
    ['0', 0],
    ['0s', 0],
    ['500ms', 500],
    ['1.5s', 1500],
    ['90s', 90_000],
    ['2m', 120_000],
    ['1h30m', 5_400_000],
    ['12h', 43_200_000],
    ['250us', 0.25],
  ])('reads %s as %d ms', (text, ms) => {
    expect(parseGoDuration(text)).toBe(ms);
  });

  it.each(['', '5', '-1s', '1d', 's', '1h 30m', '1.2.3s', 'abc'])('refuses %j', (text) => {
    expect(parseGoDuration(text)).toBeUndefined();
  });
});
