import { createHmac, timingSafeEqual } from 'node:crypto';
import { isRecord } from './json-guards.js';

const HEADER = { alg: 'HS256', typ: 'JWT' };

const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

const sign = (input: string, secret: string): string =>
  createHmac('sha256', secret).update(input).digest('base64url');

/** Compact HS256 JWS, base64url without padding, as SaaS issues them. */
export function signJwt(payload: Record<string, unknown>, secret: string): string {
  const input = `${encode(HEADER)}.${encode(payload)}`;
  return `${input}.${sign(input, secret)}`;
}

/** The payload if the signature verifies, otherwise undefined. */
export function verifyJwt(token: string, secret: string): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) {
    return undefined;
  }
  const [header = '', payload = '', signature = ''] = parts;
  const expected = Buffer.from(sign(`${header}.${payload}`, secret));
  const actual = Buffer.from(signature);
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
    return undefined;
  }
  try {
    return decodeJwtPayload(token);
  } catch {
    return undefined;
  }
}

/** Reads a JWT payload without verifying it, the way the proxy and SDKs do. */
export function decodeJwtPayload(token: string): Record<string, unknown> {
  const payload: unknown = JSON.parse(
    Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'),
  );
  if (!isRecord(payload)) {
    throw new Error('the JWT payload is not a JSON object');
  }
  return payload;
}
