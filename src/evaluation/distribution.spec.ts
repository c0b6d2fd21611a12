import * as fc from 'fast-check';
import murmurhash from 'murmurhash';
import type { Distribution } from '../model/feature-config.js';
import type { AttributeValue, Target } from '../model/target.js';
import { bucketOf, distributionVariation, murmur3, targetBucket } from './distribution.js';

function target(identifier: string, attributes?: Record<string, AttributeValue>): Target {
  return { identifier, name: identifier, attributes };
}

function split(bucketBy: string, ...weights: [string, number][]): Distribution {
  return { bucketBy, variations: weights.map(([variation, weight]) => ({ variation, weight })) };
}

// docs/evaluation.md, cross-checked against the Go and Node SDK unit tests.
const KNOWN_ANSWERS: [string, number, number][] = [
  ['identifier:harness', 3586580905, 6],
  ['identifier:test', 728187856, 57],
  ['identifier:john', 2929029805, 6],
  ['identifier:one', 699561485, 86],
  ['identifier:two', 2714712470, 71],
  ['identifier:three', 3127966153, 54],
  ['identifier:alice', 488218291, 92],
  ['identifier:bob', 1102924453, 54],
  ['email:enver.bisevac@harness', 1099220960, 61],
  ['email:enver.bisevac@harness.io', 1280663831, 32],
  ['name:Harness', 2630343367, 68],
  ['location:emea', 2075940034, 35],
  ['identifier:élève', 2404316859, 60],
];

describe('murmur3', () => {
  it.each(KNOWN_ANSWERS)('hashes %s to %d', (key, hash) => {
    expect(murmur3(key)).toBe(hash);
  });

  it('hashes the UTF-8 bytes of any key, short, non-ASCII or long, as the library does', () => {
    const keys = ['', 'a', 'identifier:ünïcödé', 'email:😀@x', 'x'.repeat(1365), 'é'.repeat(5000)];
    for (const key of keys) {
      expect(murmur3(key)).toBe(murmurhash(key, 0));
    }
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (key) => murmur3(key) === murmurhash(key, 0)),
    );
  });
});

describe('bucketOf', () => {
  it.each(KNOWN_ANSWERS)('puts %s (hash %d) in bucket %d', (key, _hash, bucket) => {
    expect(bucketOf(key)).toBe(bucket);
  });
});

describe('targetBucket', () => {
  it('hashes the bucketBy attribute name with its value', () => {
    expect(targetBucket(target('x', { email: 'enver.bisevac@harness' }), 'email')).toBe(61);
    expect(targetBucket(target('Harness'), 'name')).toBe(68);
  });

  it('falls back to identifier, hashed under the name "identifier"', () => {
    expect(targetBucket(target('test'), 'i_do_not_exist')).toBe(57);
    expect(targetBucket(target('test', { location: '' }), 'location')).toBe(57);
  });

  it('buckets by an attribute whose value is 0 or false (Go; Node falls back to identifier)', () => {
    expect(targetBucket(target('test', { age: 0 }), 'age')).toBe(bucketOf('age:0'));
    expect(targetBucket(target('test', { beta: false }), 'beta')).toBe(bucketOf('beta:false'));
  });

  it('has no bucket without the attribute and an identifier, or without a target', () => {
    expect(targetBucket(target(''), 'email')).toBe(Infinity);
    expect(targetBucket(null, 'identifier')).toBe(Infinity);
  });
});

describe('distributionVariation', () => {
  const fiftyFifty = split('identifier', ['true', 50], ['false', 50]);

  it('serves by cumulative weight: harness (bucket 6) gets true, alice (92) gets false', () => {
    expect(distributionVariation(fiftyFifty, target('harness'))).toBe('true');
    expect(distributionVariation(fiftyFifty, target('alice'))).toBe('false');
  });

  it('serves the last entry when the weights sum below the bucket', () => {
    expect(
      distributionVariation(split('identifier', ['true', 1], ['false', 2]), target('harness')),
    ).toBe('false');
  });

  it('serves v2 to "test" when bucketBy is missing (falls back to identifier:test, bucket 57)', () => {
    const distribution = split('i_do_not_exist', ['v1', 56], ['v2', 1], ['v3', 43]);

    expect(distributionVariation(distribution, target('test'))).toBe('v2');
  });

  it('never selects a first entry with zero weight', () => {
    const distribution = split('identifier', ['never', 0], ['always', 100]);

    for (const identifier of ['harness', 'test', 'alice', 'bob']) {
      expect(distributionVariation(distribution, target(identifier))).toBe('always');
    }
  });

  it('serves the last entry to a target without identifier or attribute, and to a null target', () => {
    expect(distributionVariation(fiftyFifty, target(''))).toBe('false');
    expect(distributionVariation(fiftyFifty, null)).toBe('false');
  });

  it('serves "" for an absent distribution or an empty list', () => {
    expect(distributionVariation(undefined, target('harness'))).toBe('');
    expect(distributionVariation(null, target('harness'))).toBe('');
    expect(distributionVariation(split('identifier'), target('harness'))).toBe('');
  });
});
