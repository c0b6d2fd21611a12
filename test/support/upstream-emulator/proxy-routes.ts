import type { FastifyPluginCallback } from 'fastify';
import type { EmulatorContext } from './emulator-context.js';
import { keyMatches, proxyGrant, sendError } from './guards.js';
import { sha256Hex } from './key-material.js';

interface ConfigQuery {
  key?: string;
  pageNumber?: string;
  pageSize?: string;
  cluster?: string;
  environment?: string;
}

/** Absent means the default; anything but a non-negative integer is a 400. */
function intParam(value: string | undefined, fallback: number): number | undefined {
  if (value === undefined) {
    return fallback;
  }
  return /^\d+$/.test(value) ? Number(value) : undefined;
}

/** `POST /proxy/auth` and the paged `GET /proxy/config` (docs/upstream.md). */
export function proxyRoutes(ctx: EmulatorContext): FastifyPluginCallback {
  return (app, _options, done) => {
    app.post<{ Body: { proxyKey?: unknown } | undefined }>('/proxy/auth', (request, reply) => {
      const raw = request.body?.proxyKey;
      if (typeof raw !== 'string' || raw === '') {
        return sendError(reply, 400, 'proxyKey is required');
      }
      const key = ctx.keys.findByRaw(raw);
      if (!key) {
        return sendError(reply, 401, 'invalid proxy key');
      }
      const { cluster, account, organization } = ctx.settings;
      const environments = ctx.keys.environmentsOf(key.identifier, ctx.envs.ids());
      const claims = {
        cluster_identifier: cluster,
        account,
        organization,
        key_type: 'Proxy',
        key: sha256Hex(raw),
        environments,
      };
      const grant = { kind: 'proxy', keyId: key.identifier, rawKey: raw, environments } as const;
      void reply.send({ authToken: ctx.tokens.issue(claims, grant) });
    });

    app.get<{ Querystring: ConfigQuery }>('/proxy/config', (request, reply) => {
      const grant = proxyGrant(ctx, request);
      if (!grant) {
        return sendError(reply, 401, 'invalid or missing token');
      }
      const { key, environment } = request.query;
      if (key === undefined || key === '') {
        return sendError(reply, 400, 'key is required');
      }
      if (!keyMatches(ctx, grant, key)) {
        return sendError(reply, 401, 'key does not match the token');
      }
      const pageNumber = intParam(request.query.pageNumber, 0);
      const requestedSize = intParam(request.query.pageSize, 10);
      if (pageNumber === undefined || requestedSize === undefined || requestedSize === 0) {
        return sendError(reply, 400, 'pageNumber and pageSize must be integers, pageSize > 0');
      }
      const failure = ctx.failingPages.get(pageNumber);
      if (failure !== undefined) {
        return sendError(reply, failure, `page ${pageNumber} unavailable`);
      }
      let ids = ctx.keys.environmentsOf(grant.keyId, ctx.envs.ids());
      if (environment !== undefined) {
        if (!ids.includes(environment)) {
          return sendError(reply, 404, `environment ${environment} not found`);
        }
        // A token from before `environmentsAdded` does not cover the new environment
        // (docs/upstream.md).
        if (!grant.environments.includes(environment)) {
          return sendError(reply, 403, `token does not grant access to ${environment}`);
        }
        ids = [environment];
      }
      const pageSize = ctx.settings.pageSize ?? requestedSize;
      const page = ids.slice(pageNumber * pageSize, (pageNumber + 1) * pageSize);
      void reply.send({
        itemCount: ids.length,
        pageCount: Math.ceil(ids.length / pageSize),
        pageIndex: pageNumber,
        pageSize,
        environments: page.map((id) => ctx.envs.toConfig(id)),
      });
    });
    done();
  };
}
