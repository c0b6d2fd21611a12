import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PinoLogger } from 'nestjs-pino';
import type { Logger } from 'pino';
import { PROBE_ROUTES, ROUTES } from '../common/routes.js';
import { AppConfig } from '../config/app-config.js';

/** Routes whose response is a held stream (SDK and OFREP event streams). */
const STREAM_ROUTES: ReadonlySet<string> = new Set([`/${ROUTES.stream}`, `/${ROUTES.ofrepEvents}`]);

/**
 * One `info` line per request, written when the response has been sent: method, route template,
 * environment, status, latency in ms, request id and client address. The concrete path is left
 * out on purpose: it carries target identifiers. An SDK stream gets its line when it ends, with
 * how long it was held.
 */
@Injectable()
export class AccessLog implements OnModuleInit {
  constructor(
    private readonly config: AppConfig,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  onModuleInit(): void {
    if (!this.config.log.accessLog) {
      return;
    }
    // Its fields are chosen here and hold no secret, so the redaction pass every other line gets
    // (wildcard paths, the costliest part of a line) is left out: ~5% of a cached SDK read.
    const logger = PinoLogger.root.child({ context: 'http' }, { redact: [] });
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    const logged = new WeakSet<FastifyRequest>();
    fastify.addHook('onResponse', (request, reply, done) => {
      logged.add(request);
      logRequest(logger, request, reply);
      done();
    });
    // A stream takes the socket over (reply.hijack()), so Fastify's onResponse never runs for
    // it: its line is written when the connection closes, with how long it was held.
    fastify.addHook('onRequest', (request, reply, done) => {
      if (STREAM_ROUTES.has(request.routeOptions.url ?? '')) {
        // Read now: once the socket is closed it has no remote address any more.
        const ip = request.ip;
        reply.raw.once('close', () => {
          if (!logged.has(request)) {
            logRequest(logger, request, reply, ip);
          }
        });
      }
      done();
    });
  }
}

function logRequest(
  logger: Logger,
  request: FastifyRequest,
  reply: FastifyReply,
  ip: string = request.ip,
): void {
  const route = request.routeOptions.url ?? '';
  // Probes and scrapes arrive every few seconds and say nothing about SDK traffic.
  if (PROBE_ROUTES.has(route) && request.method === 'GET') {
    return;
  }
  const params = request.params as { environment_uuid?: string } | undefined;
  logger.info(
    {
      requestId: request.id,
      method: request.method,
      route,
      env: params?.environment_uuid,
      status: reply.statusCode,
      latencyMs: Math.round(reply.elapsedTime * 10) / 10,
      ip,
    },
    'request',
  );
}
