import { open, seal } from './sealed-box.js';

describe('sealed box', () => {
  it('opens with the password it was sealed with', () => {
    const box = seal('{"secret":"s3cr3t"}', 'configured-auth-secret');
    expect(box).not.toContain('s3cr3t');
    expect(open(box, 'configured-auth-secret')).toBe('{"secret":"s3cr3t"}');
  });

  it('refuses another password, an altered box and garbage', () => {
    const box = seal('data', 'right');
    expect(open(box, 'wrong')).toBeUndefined();
    const parts = box.split('.');
    parts[4] = Buffer.from('other').toString('base64url');
    expect(open(parts.join('.'), 'right')).toBeUndefined();
    expect(open('not a box', 'right')).toBeUndefined();
  });

  it('seals the same text differently each time (fresh salt and IV)', () => {
    expect(seal('same', 'p')).not.toBe(seal('same', 'p'));
  });
});
