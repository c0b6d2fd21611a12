import { streamIdAtLeast } from './stream-ids.js';

describe('streamIdAtLeast', () => {
  it.each([
    ['5-0', '5-0', true],
    ['5-1', '5-0', true],
    ['5-0', '5-1', false],
    ['10-0', '9-99', true],
    ['9-99', '10-0', false],
    ['1700000000000-2', '1700000000000-10', false],
    ['18446744073709551615-0', '18446744073709551614-9', true],
    ['0-0', '0-0', true],
    ['1-0', '0-0', true],
  ])('%s ≥ %s: %s', (a, b, expected) => {
    expect(streamIdAtLeast(a, b)).toBe(expected);
  });
});
