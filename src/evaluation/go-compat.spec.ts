import * as fc from 'fast-check';
import { compareGoStrings, formatGoFloat, formatGoValue } from './go-compat.js';

describe('formatGoFloat', () => {
  it('never uses exponent notation and round-trips every finite double', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
        const text = formatGoFloat(n);
        expect(text).toMatch(/^-?\d+(\.\d+)?$/);
        expect(Object.is(Number(text), n)).toBe(true);
      }),
    );
  });

  it('matches String(n) where JS does not use exponents', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 1e21, maxExcluded: true, noNaN: true }), (n) => {
        expect(formatGoFloat(n)).toBe(String(n));
      }),
    );
  });

  it('spells negative zero and the non-finite values like Go', () => {
    expect(formatGoFloat(-0)).toBe('-0');
    expect(formatGoFloat(Number.NaN)).toBe('NaN');
    expect(formatGoFloat(Infinity)).toBe('+Inf');
    expect(formatGoFloat(-Infinity)).toBe('-Inf');
  });

  it('expands the smallest and largest doubles', () => {
    expect(formatGoFloat(5e-324)).toBe(`0.${'0'.repeat(323)}5`);
    expect(formatGoFloat(1.7976931348623157e308)).toBe(`17976931348623157${'0'.repeat(292)}`);
  });
});

describe('formatGoValue', () => {
  it.each<[number, string]>([
    [0, '0'],
    [100000, '100000'],
    [1e6, '1e+06'],
    [-2.5e-5, '-2.5e-05'],
    [0.0001, '0.0001'],
    [1e100, '1e+100'],
    [1.5, '1.5'],
  ])('formats the float %d as %s', (value, expected) => {
    expect(formatGoValue(value)).toBe(expected);
  });

  it('sorts map keys by code point', () => {
    expect(formatGoValue({ '\u{1f600}': 1, '\uff5e': 2, a: 3 })).toBe(
      'map[a:3 \uff5e:2 \u{1f600}:1]',
    );
  });
});

describe('compareGoStrings', () => {
  it('compares lexicographically, not numerically', () => {
    expect(compareGoStrings('10', '9')).toBeLessThan(0);
    expect(compareGoStrings('27', '9')).toBeLessThan(0);
    expect(compareGoStrings('b', 'abc')).toBeGreaterThan(0);
  });

  it('orders a prefix first and equal strings as equal', () => {
    expect(compareGoStrings('ab', 'abc')).toBeLessThan(0);
    expect(compareGoStrings('abc', 'abc')).toBe(0);
  });

  it('puts supplementary characters after U+E000–U+FFFF, as UTF-8 byte order does', () => {
    // UTF-16 code units would say '\u{1f600}' (0xD83D…) < '\uff5e'.
    expect(compareGoStrings('\u{1f600}', '\uff5e')).toBeGreaterThan(0);
    expect(compareGoStrings('\u{1f600}', '\u{1f601}')).toBeLessThan(0);
  });

  it('agrees with the order of UTF-8 bytes for any two strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (a, b) => {
        const bytes = Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
        expect(Math.sign(compareGoStrings(a, b))).toBe(bytes);
      }),
    );
  });
});
