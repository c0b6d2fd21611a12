import { createHash, randomUUID } from 'node:crypto';

/** Lower-case hex SHA-256: how SaaS and the proxy identify SDK keys (`apiKeys`, `apiKey`). */
export const sha256Hex = (value: string): string =>
  createHash('sha256').update(value).digest('hex');

/** Harness shows proxy and SDK keys as UUIDs (admin API examples), so we mint the same shape. */
export const newRawKey = (): string => randomUUID();
