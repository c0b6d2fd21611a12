import type { FastifyReply, FastifyRequest } from 'fastify';
import type { EmulatorContext } from './emulator-context.js';
import type { ProxyGrant } from './token-store.js';

/** Harness's common error model: the proxy only looks at the status, but keep the shape. */
export function sendError(reply: FastifyReply, status: number, message: string): void {
  void reply
    .code(status)
    .type('application/json')
    .send({ code: String(status), message });
}

export function bearerToken(request: FastifyRequest): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  return match?.[1];
}

export function headerValue(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * A live proxy token: issued by us, not expired or revoked, and its proxy key (the raw value
 * it was issued for) neither deleted nor rotated out past its grace period.
 */
export function proxyGrant(ctx: EmulatorContext, request: FastifyRequest): ProxyGrant | undefined {
  const token = bearerToken(request);
  const grant = token === undefined ? undefined : ctx.tokens.lookup(token);
  if (grant?.kind !== 'proxy' || ctx.keys.findByRaw(grant.rawKey)?.identifier !== grant.keyId) {
    return undefined;
  }
  return grant;
}

/** True when `rawKey` is a valid key (current or in grace) of the token's proxy key. */
export function keyMatches(ctx: EmulatorContext, grant: ProxyGrant, rawKey: unknown): boolean {
  return typeof rawKey === 'string' && ctx.keys.findByRaw(rawKey)?.identifier === grant.keyId;
}

/**
 * Checks that the bearer may read `env`; sends the error and returns false otherwise. Proxy
 * tokens cover the environments in their claim, SDK tokens their own environment.
 */
export function authorizeEnvironment(
  ctx: EmulatorContext,
  request: FastifyRequest,
  reply: FastifyReply,
  env: string,
): boolean {
  const token = bearerToken(request);
  const grant = token === undefined ? undefined : ctx.tokens.lookup(token);
  const proxy = proxyGrant(ctx, request);
  if (!grant || (grant.kind === 'proxy' && !proxy)) {
    sendError(reply, 401, 'invalid or missing token');
    return false;
  }
  const allowed = grant.kind === 'proxy' ? grant.environments : [grant.environment];
  if (!allowed.includes(env)) {
    sendError(reply, 403, `token does not grant access to environment ${env}`);
    return false;
  }
  if (!ctx.envs.has(env)) {
    sendError(reply, 404, `environment ${env} not found`);
    return false;
  }
  return true;
}
