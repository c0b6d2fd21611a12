import type { AttributeValue, Target } from '../model/target.js';
import { attributeToString, attributeValue } from './attribute.js';

function targetWith(attributes: Record<string, AttributeValue>): Target {
  return { identifier: 'user-1', name: 'User One', attributes };
}

describe('attributeValue', () => {
  it('reads identifier and name from the target, ahead of attributes with those keys', () => {
    const target = targetWith({ identifier: 'other', name: 'Other' });

    expect(attributeValue(target, 'identifier')).toBe('user-1');
    expect(attributeValue(target, 'name')).toBe('User One');
  });

  it('matches identifier and name case-sensitively, so other spellings read attributes', () => {
    const target = targetWith({ Identifier: 'from-attributes' });

    expect(attributeValue(target, 'Identifier')).toBe('from-attributes');
    expect(attributeValue(target, 'NAME')).toBe('');
  });

  it('returns "" for a null target, an empty name or an absent key', () => {
    const target = targetWith({ location: 'emea' });

    expect(attributeValue(null, 'identifier')).toBe('');
    expect(attributeValue(target, '')).toBe('');
    expect(attributeValue(target, 'missing')).toBe('');
  });

  it('returns "" when the target has no name or null attributes', () => {
    // Unnormalised data may carry nulls where the wire types say optional.
    const bare: Target = { identifier: 'x' };
    const target = Object.assign(bare, { attributes: null });

    expect(attributeValue(target, 'name')).toBe('');
    expect(attributeValue(target, 'location')).toBe('');
  });

  it('looks a dotted name up as a literal key, without nested paths', () => {
    const target = targetWith({ 'address.city': 'Leeds', address: { city: 'York' } });

    expect(attributeValue(target, 'address.city')).toBe('Leeds');
  });

  it('does not read other top-level target properties such as anonymous (Go; Node reads target[name])', () => {
    const target: Target = { identifier: 'user-1', anonymous: true };

    expect(attributeValue(target, 'anonymous')).toBe('');
  });

  it('does not resolve inherited properties', () => {
    expect(attributeValue(targetWith({}), 'toString')).toBe('');
  });
});

describe('attributeToString', () => {
  it.each<[AttributeValue, string]>([
    ['emea', 'emea'],
    ['', ''],
    [27, '27'],
    [27.5, '27.5'],
    [-3, '-3'],
    [0, '0'],
    [0.1, '0.1'],
    [1e21, '1000000000000000000000'],
    [1.5e22, '15000000000000000000000'],
    [1e-7, '0.0000001'],
    [-1.25e-8, '-0.0000000125'],
    [123456789012345680000, '123456789012345680000'],
    [true, 'true'],
    [false, 'false'],
    [null, '<nil>'],
  ])('converts %j to %j', (value, expected) => {
    expect(attributeToString(value)).toBe(expected);
  });

  it('formats arrays like Go %v: space-separated, strings unquoted', () => {
    expect(attributeToString(['a', 'b'])).toBe('[a b]');
    expect(attributeToString([1, 2])).toBe('[1 2]');
    expect(attributeToString([])).toBe('[]');
    expect(attributeToString([true, null, 'x y'])).toBe('[true <nil> x y]');
    expect(attributeToString([[1], [2, 'x']])).toBe('[[1] [2 x]]');
  });

  it('formats floats inside arrays like Go %v, with exponents from 1e+06 and below 1e-04', () => {
    expect(attributeToString([123456, 1e6, 1234567, 0.0001, 0.00001, 1e21])).toBe(
      '[123456 1e+06 1.234567e+06 0.0001 1e-05 1e+21]',
    );
  });

  it('formats objects inside arrays as Go maps with sorted keys', () => {
    expect(attributeToString([{ b: 1, a: 'x' }])).toBe('[map[a:x b:1]]');
  });

  it('converts objects to compact JSON, escaping HTML characters like jsoniter', () => {
    expect(attributeToString({ a: 1 })).toBe('{"a":1}');
    expect(attributeToString({ a: [1, 'b'], c: { d: null } })).toBe('{"a":[1,"b"],"c":{"d":null}}');
    expect(attributeToString({ tag: '<b>&' })).toBe('{"tag":"\\u003cb\\u003e\\u0026"}');
  });
});
