import type { FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import type { EmulatorContext } from './emulator-context.js';
import { parseGoDuration } from '../../../src/config/go-duration.js';
import { headerValue, sendError } from './guards.js';

interface KeyRequest {
  Params: { identifier: string };
  Querystring: { accountIdentifier?: string };
  Body: { instructions?: Record<string, unknown> } | undefined;
}

/** Platform auth (`x-api-key`), the mandatory account, then the key itself. */
function checkKeyRequest(
  ctx: EmulatorContext,
  request: FastifyRequest<KeyRequest>,
  reply: FastifyReply,
): boolean {
  if (headerValue(request, 'x-api-key') !== ctx.settings.adminApiKey) {
    sendError(reply, 401, 'invalid or missing x-api-key');
  } else if (request.query.accountIdentifier === undefined) {
    sendError(reply, 400, 'accountIdentifier is required');
  } else if (request.query.accountIdentifier !== ctx.settings.account) {
    sendError(reply, 403, 'not allowed for this account');
  } else if (!ctx.keys.get(request.params.identifier)) {
    sendError(reply, 404, `proxy key ${request.params.identifier} not found`);
  } else {
    return true;
  }
  return false;
}

/**
 * The two proxy-key calls of the Harness FF admin API (`/cf/admin/proxy/keys/{identifier}`,
 * `harness/ff-proxy` gen/admin): PATCH with `{"instructions":{"rotateKey":"<Go duration>"}}`
 * answers `{"key":"<new raw key>"}`, and the old key keeps working for that duration
 * (our reading of the `rotateKey` example "12h"); DELETE answers 204.
 */
export function adminRoutes(ctx: EmulatorContext): FastifyPluginCallback {
  return (app, _options, done) => {
    app.patch<KeyRequest>('/admin/proxy/keys/:identifier', (request, reply) => {
      if (!checkKeyRequest(ctx, request, reply)) {
        return;
      }
      const instructions = request.body?.instructions;
      if (typeof instructions !== 'object' || instructions === null) {
        return sendError(reply, 400, 'instructions are required');
      }
      if (instructions.updateConfig !== undefined) {
        return sendError(reply, 400, 'updateConfig is not emulated; use the control API');
      }
      const { rotateKey } = instructions;
      if (rotateKey === undefined) {
        // updateName / updateDescription: nothing the proxy can observe.
        return void reply.send({});
      }
      const graceMs = typeof rotateKey === 'string' ? parseGoDuration(rotateKey) : undefined;
      if (graceMs === undefined) {
        return sendError(reply, 400, 'rotateKey must be a duration such as "12h"');
      }
      void reply.send({ key: ctx.rotateProxyKey(request.params.identifier, graceMs) });
    });

    app.delete<KeyRequest>('/admin/proxy/keys/:identifier', (request, reply) => {
      if (checkKeyRequest(ctx, request, reply)) {
        ctx.deleteProxyKey(request.params.identifier);
        void reply.code(204).send();
      }
    });
    done();
  };
}
