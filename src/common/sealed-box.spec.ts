import { createCipheriv, randomBytes, scryptSync } from 'node:crypto';
import { open, seal } from './sealed-box.js';

const LABEL = { purpose: 'auth-secrets', epoch: 3 };

/** A box as the previous release wrote it: no epoch, no authenticated label. */
function sealV1(plaintext: string, password: string): string {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const key = scryptSync(password, salt, 32, { N: 2 ** 14 });
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', salt, iv, cipher.getAuthTag(), body]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
}

/** The same box with its GCM tag cut to `bytes`. */
function withTag(box: string, tagIndex: number, bytes: number): string {
  const parts = box.split('.');
  parts[tagIndex] = Buffer.from(parts[tagIndex] ?? '', 'base64url')
    .subarray(0, bytes)
    .toString('base64url');
  return parts.join('.');
}

describe('sealed box', () => {
  it('opens with the password and purpose it was sealed with, and tells its epoch', () => {
    const box = seal('{"secret":"s3cr3t"}', 'configured-auth-secret', LABEL);
    expect(box).not.toContain('s3cr3t');
    expect(box).toMatch(/^v2\.3\./);
    expect(open(box, 'configured-auth-secret', 'auth-secrets')).toEqual({
      plaintext: '{"secret":"s3cr3t"}',
      epoch: 3,
    });
  });

  it('refuses another password, another purpose, an altered box and garbage', () => {
    const box = seal('data', 'right', LABEL);
    expect(open(box, 'wrong', 'auth-secrets')).toBeUndefined();
    expect(open(box, 'right', 'proxy-key')).toBeUndefined();
    const parts = box.split('.');
    parts[5] = Buffer.from('other').toString('base64url');
    expect(open(parts.join('.'), 'right', 'auth-secrets')).toBeUndefined();
    expect(open('not a box', 'right', 'auth-secrets')).toBeUndefined();
    expect(open('v2.x.a.b.c.d', 'right', 'auth-secrets')).toBeUndefined();
  });

  it('refuses a box whose epoch was raised: the epoch is authenticated', () => {
    const parts = seal('data', 'right', LABEL).split('.');
    parts[1] = '4';
    expect(open(parts.join('.'), 'right', 'auth-secrets')).toBeUndefined();
  });

  it.each([4, 8, 12, 15])('refuses a GCM tag cut to %i bytes', (bytes) => {
    expect(open(withTag(seal('data', 'p', LABEL), 4, bytes), 'p', 'auth-secrets')).toBeUndefined();
    expect(open(withTag(sealV1('data', 'p'), 3, bytes), 'p', 'auth-secrets')).toBeUndefined();
  });

  it('still opens boxes of the previous format, as epoch 0', () => {
    expect(open(sealV1('old', 'p'), 'p', 'auth-secrets')).toEqual({ plaintext: 'old', epoch: 0 });
    expect(open(sealV1('old', 'p'), 'other', 'auth-secrets')).toBeUndefined();
  });

  it('seals the same text differently each time (fresh salt and IV)', () => {
    expect(seal('same', 'p', LABEL)).not.toBe(seal('same', 'p', LABEL));
  });
});
