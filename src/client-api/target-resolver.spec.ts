import { decodeTargetHeader } from './target-resolver.js';

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');

describe('decodeTargetHeader', () => {
  it('decodes the base64 JSON target, keeping only the fields the evaluator reads', () => {
    const header = encode({
      identifier: 'u1',
      name: 'User',
      anonymous: false,
      attributes: { age: 27, tags: ['a'] },
      extra: 'ignored',
    });
    expect(decodeTargetHeader(header)).toEqual({
      identifier: 'u1',
      name: 'User',
      anonymous: false,
      attributes: { age: 27, tags: ['a'] },
    });
  });

  it.each([
    ['absent', undefined],
    ['not base64 JSON', '%%%'],
    ['JSON that is not an object', encode('u1')],
    ['a numeric identifier (the JS SDK does not stringify it here)', encode({ identifier: 7 })],
  ])('gives up on a header that is %s', (_case, header) => {
    expect(decodeTargetHeader(header)).toBeUndefined();
  });

  it('decodes leniently when characters outside the BMP arrive as CESU-8', () => {
    // The JS SDK encodes each UTF-16 unit of an emoji separately (two 3-byte sequences).
    const cesu = Buffer.from([
      ...Buffer.from('{"identifier":"e","name":"'),
      0xed,
      0xa0,
      0xbd,
      0xed,
      0xb8,
      0x80,
      ...Buffer.from('"}'),
    ]).toString('base64');
    expect(decodeTargetHeader(cesu)).toMatchObject({ identifier: 'e' });
  });
});
