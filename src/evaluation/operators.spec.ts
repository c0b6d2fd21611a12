import { createOperatorPatterns, operatorMatches } from './operators.js';

describe('operatorMatches', () => {
  const patterns = createOperatorPatterns();
  const matches = (op: string, attribute: string, ...values: string[]): boolean =>
    operatorMatches(op, attribute, values, patterns);

  describe('equal', () => {
    it('ignores ASCII case', () => {
      expect(matches('equal', 'Harness', 'hARNESS')).toBe(true);
      expect(matches('equal', 'true', 'TRUE')).toBe(true);
      expect(matches('equal', 'harness', 'harnes')).toBe(false);
    });

    it('uses Unicode simple case folding (Go EqualFold; Node lower-cases both sides)', () => {
      expect(matches('equal', 'ſ', 'S')).toBe(true); // long s folds to s; 'ſ'.toLowerCase() does not
      expect(matches('equal', '\u212a', 'k')).toBe(true); // Kelvin sign
      expect(matches('equal', 'ẞ', 'ß')).toBe(true);
      expect(matches('equal', 'ΣΑΣ', 'σας')).toBe(true);
      expect(matches('equal', 'Élève', 'éLÈVE')).toBe(true);
    });

    it('does not apply full or language-specific foldings', () => {
      expect(matches('equal', 'ß', 'SS')).toBe(false);
      expect(matches('equal', 'ı', 'I')).toBe(false);
      expect(matches('equal', 'İ', 'i\u0307')).toBe(false);
    });

    it('treats regular-expression characters in the value literally', () => {
      expect(matches('equal', 'é.*', 'É.*')).toBe(true);
      expect(matches('equal', 'éxyz', 'É.*')).toBe(false);
      expect(matches('equal', 'a/b(c)[d]{1}|\\é', 'A/B(C)[D]{1}|\\É')).toBe(true);
    });

    it('compares only the first value', () => {
      expect(matches('equal', 'b', 'a', 'b')).toBe(false);
    });
  });

  it('equal_sensitive compares exactly', () => {
    expect(matches('equal_sensitive', 'true', 'true')).toBe(true);
    expect(matches('equal_sensitive', 'true', 'TRUE')).toBe(false);
  });

  it('in matches any of several values, case-sensitively', () => {
    expect(matches('in', 'two', 'one', 'two', 'three')).toBe(true);
    expect(matches('in', 'three', 'one', 'two', 'three')).toBe(true);
    expect(matches('in', 'Two', 'one', 'two', 'three')).toBe(false);
    expect(matches('in', 'four', 'one', 'two', 'three')).toBe(false);
  });

  it('starts_with, ends_with and contains are case-sensitive substring tests on the first value', () => {
    expect(matches('starts_with', 'three', 't')).toBe(true);
    expect(matches('starts_with', 'three', 'T')).toBe(false);
    expect(matches('ends_with', 'jane@harness.io', '@harness.io')).toBe(true);
    expect(matches('ends_with', 'jane@harness.io', '@HARNESS.io')).toBe(false);
    expect(matches('contains', 'jane@harness.io', 'harness')).toBe(true);
    expect(matches('contains', 'jane@harness.io', 'Harness')).toBe(false);
    expect(matches('contains', 'abc', 'x', 'abc')).toBe(false);
  });

  it('gt compares strings lexicographically, never numerically', () => {
    expect(matches('gt', 'b', 'a')).toBe(true);
    expect(matches('gt', 'a', 'a')).toBe(false);
    expect(matches('gt', '10', '9')).toBe(false);
    expect(matches('gt', '27', '9')).toBe(false);
    expect(matches('gt', '9', '10')).toBe(true);
    expect(matches('gt', '\u{1f600}', '\uff5e')).toBe(true);
  });

  describe('match', () => {
    it('finds the pattern anywhere in the attribute (Go; Node does not support match)', () => {
      expect(matches('match', 'jane@harness.io', '@harness\\.io$')).toBe(true);
      expect(matches('match', 'user-42', '\\d+')).toBe(true);
      expect(matches('match', 'user-x', '^user-\\d+$')).toBe(false);
    });

    it('is case-sensitive unless the pattern starts with RE2 inline flags', () => {
      expect(matches('match', 'HARNESS', 'harness')).toBe(false);
      expect(matches('match', 'HARNESS', '(?i)harness')).toBe(true);
      expect(matches('match', 'a\nb', '(?s)a.b')).toBe(true);
    });

    it('is false for an invalid pattern', () => {
      expect(matches('match', 'anything', '(')).toBe(false);
      expect(matches('match', 'anything', '[a-')).toBe(false);
      expect(matches('match', '(', '(')).toBe(false);
    });

    it('uses RE2 syntax, as Go does', () => {
      expect(matches('match', 'ba', 'a\\z')).toBe(true);
      expect(matches('match', 'ab', 'a\\z')).toBe(false);
      expect(matches('match', 'ab', '\\Aa')).toBe(true);
      expect(matches('match', 'ba', '\\Aa')).toBe(false);
      expect(matches('match', 'xa', '(?P<n>a)')).toBe(true);
      expect(matches('match', 'Harness', '^(?i:h)arness$')).toBe(true);
      expect(matches('match', '\u{1f600}', '^.$')).toBe(true); // one code point, as one Go rune
    });

    it('is false for patterns RE2 rejects even where JS would accept them', () => {
      expect(matches('match', 'aa', '(a)\\1')).toBe(false); // backreference
      expect(matches('match', 'ab', 'a(?=b)')).toBe(false); // lookahead
    });

    it('runs in linear time on patterns that backtrack catastrophically in JS', () => {
      expect(matches('match', `${'a'.repeat(50)}b`, '(a+)+$')).toBe(false);
      expect(matches('match', 'a'.repeat(50), '(a+)+$')).toBe(true);
    });
  });

  it('is false for unknown operators, including ones neither SDK implements', () => {
    for (const op of ['gte', 'lt', 'lte', 'not_in', 'EQUAL', 'startsWith', 'segmentMatch']) {
      expect(matches(op, 'a', 'a')).toBe(false);
    }
  });
});
