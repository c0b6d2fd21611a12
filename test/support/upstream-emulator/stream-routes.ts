import type { FastifyPluginCallback } from 'fastify';
import type { EmulatorContext } from './emulator-context.js';
import { headerValue, keyMatches, proxyGrant, sendError } from './guards.js';

/** `GET /stream`: the account-level SSE stream (upstream-api.md §8). */
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
      if (!keyMatches(ctx, grant, headerValue(request, 'API-Key'))) {
        return sendError(reply, 401, 'API-Key does not match the token');
      }
      reply.hijack();
      ctx.hub.open(reply.raw, grant.keyId);
    });
    done();
  };
}
