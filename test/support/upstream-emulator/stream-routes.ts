import type { FastifyPluginCallback } from 'fastify';
import type { EmulatorContext } from './emulator-context.js';
import { headerValue, keyMatches, proxyGrant, sendError } from './guards.js';

/** `GET /stream`: the account-level SSE stream (docs/upstream.md). */
export function streamRoutes(ctx: EmulatorContext): FastifyPluginCallback {
  return (app, _options, done) => {
    app.get('/stream', (request, reply) => {
      if (ctx.streamGate.refuseWith !== undefined) {
        return sendError(reply, ctx.streamGate.refuseWith, 'streaming unavailable');
      }
      const grant = proxyGrant(ctx, request);
      if (!grant) {
        return sendError(reply, 401, 'invalid or missing token');
      }
      const apiKey = headerValue(request, 'API-Key');
      if (apiKey === undefined || !keyMatches(ctx, grant, apiKey)) {
        return sendError(reply, 401, 'API-Key does not match the token');
      }
      reply.hijack();
      // Both raw keys: revoking either (a rotation past its grace) cuts the stream.
      ctx.hub.open(reply.raw, grant.keyId, [grant.rawKey, apiKey]);
    });
    done();
  };
}
