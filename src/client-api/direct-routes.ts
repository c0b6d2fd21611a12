import { Logger, ValidationPipe } from '@nestjs/common';
import { ApplicationConfig } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/internal';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type GuardedRequest, JwtAuthGuard } from '../auth/jwt-auth.guard.js';
import { ReadinessGuard } from '../auth/readiness.guard.js';
import { AllExceptionsFilter } from '../common/filters/all-exceptions.filter.js';
import { ROUTES } from '../common/routes.js';
import type { ClientConfigService } from './client-config.service.js';
import type { ClientEvaluationService } from './client-evaluation.service.js';
import { JSON_UTF8, rulesVersion } from './sdk-wire.js';

/** What the stock pipeline runs around a route: ff-relay's own guards and filter. */
interface Pipeline {
  readiness: ReadinessGuard;
  jwt: JwtAuthGuard;
  errors: AllExceptionsFilter;
}

type Params = Record<string, string | undefined>;
/** One byte route's answer, from the request as Fastify parsed it. */
type Serve = (request: FastifyRequest) => Promise<Buffer>;

export interface ByteRouteServices {
  configs: ClientConfigService;
  evaluations: ClientEvaluationService;
}

/**
 * Serves the SDK byte routes (evaluations, feature-configs, target-segments: the hot ones) with a
 * plain Fastify handler in place of Nest's, when the pipeline around them is ff-relay's alone.
 * Nest still declares them (path, hooks, route config); only the handler is swapped, when the
 * app initialises, so the swap sees every enhancer Nest itself will use. Nest's router costs
 * ~4 µs of CPU a request (a guard chain, parameter pipes, an observable); these routes answer in
 * ~70. When a composing module adds any global guard, interceptor, pipe, filter or pre-request
 * hook (`APP_*`, `useGlobal*`), every route stays Nest's, as `docs/extending.md` promises.
 */
export function serveByteRoutesDirectly(
  fastify: FastifyInstance,
  app: unknown,
  services: ByteRouteServices,
): void {
  const serves = byteRoutes(services);
  let pipeline: Pipeline | null | undefined;
  fastify.addHook('onRoute', (route) => {
    const serve = route.method === 'GET' ? serves.get(route.url) : undefined;
    if (serve === undefined) {
      return;
    }
    pipeline ??= stockPipeline(app);
    if (pipeline !== null) {
      route.handler = directHandler(serve, pipeline);
    }
  });
}

function byteRoutes({ configs, evaluations }: ByteRouteServices): Map<string, Serve> {
  return new Map<string, Serve>([
    [
      `/${ROUTES.evaluations}`,
      (r) => evaluations.evaluations(param(r, 'environment_uuid'), param(r, 'target'), header(r)),
    ],
    [`/${ROUTES.featureConfigs}`, (r) => configs.featureConfigs(param(r, 'environment_uuid'))],
    [
      `/${ROUTES.featureConfig}`,
      (r) => configs.featureConfig(param(r, 'environment_uuid'), param(r, 'identifier')),
    ],
    [
      `/${ROUTES.targetSegments}`,
      (r) => configs.targetSegments(param(r, 'environment_uuid'), rulesVersion(rules(r))),
    ],
    [
      `/${ROUTES.targetSegment}`,
      (r) =>
        configs.targetSegment(
          param(r, 'environment_uuid'),
          param(r, 'identifier'),
          rulesVersion(rules(r)),
        ),
    ],
  ]);
}

// The router matched the route's template, so its parameters are there.
function param(request: FastifyRequest, name: string): string {
  return (request.params as Params)[name] ?? '';
}

function rules(request: FastifyRequest): string | undefined {
  const value = (request.query as Record<string, unknown>).rules;
  return typeof value === 'string' ? value : undefined;
}

function header(request: FastifyRequest): string | undefined {
  const value = request.headers['harness-target'];
  return typeof value === 'string' ? value : undefined;
}

/** The guards' checks, the service, then the answer or the filter's error body: as Nest would. */
function directHandler(serve: Serve, pipeline: Pipeline) {
  const answer = async (request: FastifyRequest, reply: FastifyReply): Promise<Buffer> => {
    pipeline.readiness.assertReady();
    await pipeline.jwt.authorize(
      request as GuardedRequest,
      () => new ExecutionContextHost([request, reply]),
    );
    return serve(request);
  };
  return (request: FastifyRequest, reply: FastifyReply): void => {
    answer(request, reply).then(
      (body) => {
        void reply.header('content-type', JSON_UTF8).send(body);
      },
      (error: unknown) => {
        pipeline.errors.respond(error, request, reply);
      },
    );
  };
}

/**
 * ff-relay's enhancers when they are the only ones: exactly its two guards, its validation pipe
 * and its filter, no interceptor, nothing request-scoped, no pre-request hook. Anything else, or
 * a Nest whose application config cannot be read, keeps Nest's router on every route.
 */
function stockPipeline(app: unknown): Pipeline | null {
  const logger = new Logger('ByteRoutes');
  const config = (app as { config?: unknown }).config;
  if (!(config instanceof ApplicationConfig)) {
    logger.warn("Nest's application config is not where it was: SDK routes stay on Nest's router");
    return null;
  }
  const [readiness, jwt, ...otherGuards] = config.getGlobalGuards();
  const [errors, ...otherFilters] = config.getGlobalFilters();
  const [pipe, ...otherPipes] = config.getGlobalPipes();
  const composed =
    otherGuards.length +
    otherFilters.length +
    otherPipes.length +
    config.getGlobalInterceptors().length +
    config.getGlobalRequestGuards().length +
    config.getGlobalRequestInterceptors().length +
    config.getGlobalRequestPipes().length +
    config.getGlobalRequestFilters().length +
    config.getGlobalPreRequestHooks().length;
  if (
    composed > 0 ||
    !(readiness instanceof ReadinessGuard) ||
    !(jwt instanceof JwtAuthGuard) ||
    !(errors instanceof AllExceptionsFilter) ||
    !(pipe instanceof ValidationPipe)
  ) {
    logger.log('global enhancers composed beside ff-relay: SDK routes run through Nest');
    return null;
  }
  return { readiness, jwt, errors };
}
