import { jsonLimitExceeded } from './json-limits.js';

function nested(depth: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i += 1) {
    value = i % 2 ? { a: value } : [value];
  }
  return value;
}

describe('jsonLimitExceeded', () => {
  it('accepts SDK-shaped payloads', () => {
    expect(jsonLimitExceeded({ metricsData: [{ attributes: [{ key: 'a', value: 'b' }] }] })).toBe(
      undefined,
    );
    expect(jsonLimitExceeded(nested(32))).toBeUndefined();
  });

  it('names a document nested too deep, even 100,000 levels, without overflowing', () => {
    expect(jsonLimitExceeded(nested(33))).toMatch(/deeper than 32/);
    expect(jsonLimitExceeded(nested(100_000))).toMatch(/deeper than 32/);
  });

  it('names an array that is too long', () => {
    const entries = Array.from({ length: 20_001 }, () => ({}));
    expect(jsonLimitExceeded({ metricsData: entries })).toMatch(/longer than/);
  });
});
