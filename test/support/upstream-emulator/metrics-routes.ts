import type { FastifyPluginCallback } from 'fastify';
import type { EmulatorContext } from './emulator-context.js';
import { authorizeEnvironment } from './guards.js';

/** `POST /metrics/{env}` on the metrics service (docs/upstream.md); bodies are only recorded. */
export function metricsRoutes(ctx: EmulatorContext): FastifyPluginCallback {
  return (app, _options, done) => {
    app.post<{ Params: { env: string } }>('/metrics/:env', (request, reply) => {
      if (authorizeEnvironment(ctx, request, reply, request.params.env)) {
        void reply.send({});
      }
    });
    done();
  };
}
