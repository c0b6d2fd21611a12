import { createHash } from 'node:crypto';

/**
 * How a secret is named wherever it must be told apart without being shown (Admin API, logs,
 * metrics): the first 12 hex characters of its SHA-256.
 */
export function fingerprint(secret: string): string {
  return createHash('sha256').update(secret).digest('hex').slice(0, 12);
}
