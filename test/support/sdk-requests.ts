import { createHmac } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/** Authenticates like an SDK and returns the token. */
export async function authenticate(
  app: NestFastifyApplication,
  apiKey: string,
  target?: Record<string, unknown>,
): Promise<string> {
  const response = await app.inject({
    method: 'POST',
    url: '/client/auth',
    payload: target ? { apiKey, target } : { apiKey },
  });
  if (response.statusCode !== 200) {
    throw new Error(`auth failed: ${response.statusCode} ${response.body}`);
  }
  return response.json<{ authToken: string }>().authToken;
}

export function decodeClaims(token: string): Record<string, unknown> {
  const payload = token.split('.')[1] ?? '';
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}

function encode(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** Builds a JWT by hand, for forged, expired and `alg: none` tokens. */
export function craftToken(
  claims: Record<string, unknown>,
  options: { secret?: string; alg?: 'HS256' | 'none' } = {},
): string {
  const alg = options.alg ?? 'HS256';
  const unsigned = `${encode({ alg, typ: 'JWT' })}.${encode(claims)}`;
  if (alg === 'none') {
    return `${unsigned}.`;
  }
  const signature = createHmac('sha256', options.secret ?? '')
    .update(unsigned)
    .digest('base64url');
  return `${unsigned}.${signature}`;
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}
