import type { FastifyPluginCallback } from 'fastify';
import type { EmulatorContext } from './emulator-context.js';
import { authorizeEnvironment, sendError } from './guards.js';

interface EnvParams {
  env: string;
}

/**
 * The client-service reads the proxy makes after a change event (docs/upstream.md) and the
 * SDK auth it forwards targets to (docs/upstream.md).
 */
export function clientRoutes(ctx: EmulatorContext): FastifyPluginCallback {
  return (app, _options, done) => {
    app.get<{ Params: EnvParams }>('/client/env/:env/feature-configs', (request, reply) => {
      if (authorizeEnvironment(ctx, request, reply, request.params.env)) {
        void reply.send(ctx.envs.featureConfigs(request.params.env));
      }
    });

    app.get<{ Params: EnvParams; Querystring: { rules?: string } }>(
      '/client/env/:env/target-segments',
      (request, reply) => {
        const { env } = request.params;
        if (authorizeEnvironment(ctx, request, reply, env)) {
          void reply.send(ctx.envs.segments(env, request.query.rules === 'v2'));
        }
      },
    );

    app.post<{ Body: { apiKey?: unknown } | undefined }>('/client/auth', (request, reply) => {
      const apiKey = request.body?.apiKey;
      if (typeof apiKey !== 'string' || apiKey === '') {
        return sendError(reply, 400, 'apiKey is required');
      }
      const env = ctx.envs.environmentOfApiKey(apiKey);
      if (env === undefined) {
        return sendError(reply, 401, 'invalid api key');
      }
      const flag = ctx.envs.featureConfigs(env)[0];
      // The SaaS SDK-token claim set (docs/sdk-api.md); identifiers come from the data we hold.
      const claims = {
        environment: env,
        environmentIdentifier: flag?.environment ?? env,
        project: flag?.project ?? 'default',
        projectIdentifier: flag?.project ?? 'default',
        accountID: ctx.settings.account,
        organization: ctx.settings.organization,
        organizationIdentifier: 'default',
        clusterIdentifier: ctx.settings.cluster,
        key_type: 'Server',
      };
      void reply.send({ authToken: ctx.tokens.issue(claims, { kind: 'sdk', environment: env }) });
    });
    done();
  };
}
