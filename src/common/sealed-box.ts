import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';

const VERSION = 'v1';

/**
 * Authenticated encryption (AES-256-GCM) under a key derived with scrypt from a password and a
 * per-message salt: how secrets the relay makes at run time (rotated SDK-token secrets) rest in
 * Redis. Whoever can read Redis learns nothing without the configured secret they derive from.
 */
export function seal(plaintext: string, password: string): string {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyFor(password, salt), iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, salt, iv, cipher.getAuthTag(), body].map(encode).join('.');
}

/** The plaintext, or undefined when the box was not sealed with this password or was altered. */
export function open(sealed: string, password: string): string | undefined {
  const [version, salt, iv, tag, body] = sealed.split('.');
  if (version !== VERSION || !salt || !iv || !tag || body === undefined) {
    return undefined;
  }
  try {
    const decipher = createDecipheriv(
      'aes-256-gcm',
      keyFor(password, Buffer.from(salt, 'base64url')),
      Buffer.from(iv, 'base64url'),
    );
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    const plain = Buffer.concat([
      decipher.update(Buffer.from(body, 'base64url')),
      decipher.final(),
    ]);
    return plain.toString('utf8');
  } catch {
    return undefined;
  }
}

function keyFor(password: string, salt: Buffer): Buffer {
  return scryptSync(password, salt, 32, { N: 2 ** 14 });
}

function encode(part: string | Buffer): string {
  return typeof part === 'string' ? part : part.toString('base64url');
}
