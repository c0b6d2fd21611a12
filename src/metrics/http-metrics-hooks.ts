import type { ServerResponse } from 'node:http';
import type { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { HttpRequestMetrics, MeasuredRoute } from './http-request-metrics.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The route labels the metrics hook found for this request (null before it ran). */
    metricsRoute: MeasuredRoute | null;
  }
}

/**
 * The HTTP metrics as an `onRequest`/`onResponse` hook pair (docs/prometheus-metrics.md). They
 * are the Nest adapter's own lifecycle hooks, the only ones that run before its 503-at-shutdown
 * and CORS hooks, so everything is counted: 401s, 404s, CORS preflights, shutdown 503s.
 * Durations use Fastify's own start time (`reply.elapsedTime`), taken before any hook.
 */
export function recordHttpMetrics(adapter: FastifyAdapter, metrics: HttpRequestMetrics): void {
  adapter.getInstance().decorateRequest('metricsRoute', null);
  adapter.setOnRequestHook((request, reply, done) => {
    const route = metrics.route(request.routeOptions.url, request.url);
    request.metricsRoute = route;
    if (route.measured && route.untilHeaders) {
      // A held SSE response never finishes: it is measured when its head goes out.
      onHead(reply.raw, () => record(metrics, route, request, reply));
    }
    done();
  });
  adapter.setOnResponseHook((request, reply, done) => {
    const route = request.metricsRoute ?? metrics.route(request.routeOptions.url, request.url);
    if (route.measured && !route.untilHeaders) {
      record(metrics, route, request, reply);
    }
    done();
  });
}

function record(
  metrics: HttpRequestMetrics,
  route: MeasuredRoute,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const envID = route.envParam
    ? ((request.params as Record<string, string | undefined>)[route.envParam] ?? '')
    : '';
  metrics.record(route, envID, reply.statusCode, reply.elapsedTime / 1000);
  if (request.method === 'POST') {
    const { headers } = request;
    metrics.recordBody(headers['content-length'], headers['transfer-encoding'] !== undefined);
  }
}

/** Calls `listener` once, right after the response's status line and headers are written. */
function onHead(response: ServerResponse, listener: () => void): void {
  const writeHead = response.writeHead.bind(response);
  response.writeHead = ((...args: Parameters<ServerResponse['writeHead']>) => {
    response.writeHead = writeHead;
    const result = writeHead(...args);
    listener();
    return result;
  }) as ServerResponse['writeHead'];
}
