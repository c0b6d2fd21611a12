import type { FlagKind, Variation } from '../../../src/model/feature-config.js';

/**
 * Small alphabets for the differential test, so that clauses, segment lists and target maps match
 * often. Everything stays inside the domain where the Go and Node evaluators agree
 * (docs/evaluation.md): non-empty string attributes whose case folding is the same under Go's
 * `EqualFold` and JS `toLowerCase()`, and whose UTF-16 order is their code-point order.
 */
export const IDENTIFIERS = ['u1', 'u2', 'u3', 'U1', 'u10', 'v1'] as const;
export const NAMES = ['ann', 'Ann', 'bob', 'bo'] as const;

/** Attribute values a target may carry, by attribute name. */
export const TARGET_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  email: ['a@x.io', 'b@x.io', 'a@y.io', 'A@X.IO'],
  region: ['eu', 'us', 'EU', 'eu-west', 'éu', 'ÉU'],
  plan: ['1', '10', '9', '2'],
  // Shadowed by the target's own (always non-empty) identifier and name, in Go and Node alike.
  name: ['zed'],
  identifier: ['u2'],
};

/** Values a clause compares against, by attribute: the target values plus useful fragments. */
export const CLAUSE_VALUES: Readonly<Record<string, readonly string[]>> = {
  identifier: [...IDENTIFIERS, 'u', '1', 'U'],
  name: [...NAMES, 'a', 'n', 'zed'],
  email: [...(TARGET_ATTRIBUTES.email ?? []), 'x.io', '@', 'a@'],
  region: [...(TARGET_ATTRIBUTES.region ?? []), 'e', 'Éu', 'west'],
  plan: [...(TARGET_ATTRIBUTES.plan ?? []), '0', '5'],
  // Never set on a target: a clause on it never matches.
  missing: ['x'],
};

export const CLAUSE_ATTRIBUTES = Object.keys(CLAUSE_VALUES);
export const BUCKET_BY = ['identifier', 'name', 'email', 'region', 'plan', 'missing'] as const;

/** Every operator both evaluators implement; `segmentMatch` is generated separately. */
export const ATTRIBUTE_OPERATORS = [
  'equal',
  'equal_sensitive',
  'in',
  'starts_with',
  'ends_with',
  'contains',
  'gt',
] as const;

export const KINDS: readonly FlagKind[] = ['boolean', 'int', 'string', 'json'];

/** Variations per kind; values are ones each SDK converter accepts (a bad JSON value would throw). */
export const VARIATIONS: Readonly<Record<FlagKind, readonly Variation[]>> = {
  boolean: [
    { identifier: 'true', value: 'true' },
    { identifier: 'false', value: 'false' },
    { identifier: 'shout', value: 'TRUE' },
  ],
  int: [
    { identifier: 'one', value: '1' },
    { identifier: 'half', value: '2.5' },
    { identifier: 'neg', value: '-3' },
  ],
  string: [
    { identifier: 'red', value: 'Red' },
    { identifier: 'green', value: 'green' },
    { identifier: 'blank', value: '' },
  ],
  json: [
    { identifier: 'a', value: '{"a":1}' },
    { identifier: 'b', value: '{"b":[true,null,"x"]}' },
    { identifier: 'empty', value: '{}' },
  ],
};

/** The element at `index`, wrapping around, so that generated indices shrink towards the first. */
export function pick<T>(items: readonly T[], index: number): T {
  const item = items[index % items.length];
  if (item === undefined) {
    throw new Error('pick from an empty list');
  }
  return item;
}
