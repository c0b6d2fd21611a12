import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';

/** Boxes written before epochs existed: still opened, as epoch 0. */
const LEGACY = 'v1';
const VERSION = 'v2';
/** A shorter GCM tag would be accepted by Node and make forgeries far cheaper. */
const TAG_BYTES = 16;
const EPOCH = /^(0|[1-9]\d{0,14})$/;

export interface Opened {
  plaintext: string;
  /** Raised by every write of the state: a box with a lower epoch is an older one. */
  epoch: number;
}

/**
 * Authenticated encryption (AES-256-GCM) under a key derived with scrypt from a password and a
 * per-message salt: how secrets the relay makes at run time (rotated SDK-token secrets, a
 * rotated proxy key) rest in Redis. Whoever can read Redis learns nothing without the configured
 * secret they derive from. `purpose` (which state this is) and `epoch` are authenticated with
 * the text, so a box cannot be passed off as another state's or as a later one.
 */
export function seal(
  plaintext: string,
  password: string,
  label: { purpose: string; epoch: number },
): string {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyFor(password, salt), iv, {
    authTagLength: TAG_BYTES,
  });
  cipher.setAAD(Buffer.from(additionalData(label.purpose, label.epoch)));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const parts = [salt, iv, cipher.getAuthTag(), body].map((part) => part.toString('base64url'));
  return [VERSION, String(label.epoch), ...parts].join('.');
}

/**
 * The plaintext and its epoch, or undefined when the box was not sealed with this password for
 * this purpose, or was altered or cut.
 */
export function open(sealed: string, password: string, purpose: string): Opened | undefined {
  const parts = sealed.split('.');
  if (parts[0] === LEGACY && parts.length === 5) {
    return decrypt(parts.slice(1), password, undefined, 0);
  }
  const epoch = parts[1] ?? '';
  if (parts[0] !== VERSION || parts.length !== 6 || !EPOCH.test(epoch)) {
    return undefined;
  }
  return decrypt(parts.slice(2), password, additionalData(purpose, Number(epoch)), Number(epoch));
}

function decrypt(
  [salt = '', iv = '', tag = '', body = '']: string[],
  password: string,
  aad: string | undefined,
  epoch: number,
): Opened | undefined {
  const tagBytes = Buffer.from(tag, 'base64url');
  if (!salt || !iv || tagBytes.length !== TAG_BYTES) {
    return undefined;
  }
  try {
    const decipher = createDecipheriv(
      'aes-256-gcm',
      keyFor(password, Buffer.from(salt, 'base64url')),
      Buffer.from(iv, 'base64url'),
      { authTagLength: TAG_BYTES },
    );
    if (aad !== undefined) {
      decipher.setAAD(Buffer.from(aad));
    }
    decipher.setAuthTag(tagBytes);
    const plain = Buffer.concat([
      decipher.update(Buffer.from(body, 'base64url')),
      decipher.final(),
    ]);
    return { plaintext: plain.toString('utf8'), epoch };
  } catch {
    return undefined;
  }
}

function additionalData(purpose: string, epoch: number): string {
  return `ff-relay/${purpose}/${VERSION}/${epoch}`;
}

function keyFor(password: string, salt: Buffer): Buffer {
  return scryptSync(password, salt, 32, { N: 2 ** 14 });
}
