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
    if (!logger.isLevelEnabled('info')) {
      // LOG_LEVEL above INFO: no line would be written, so no request pays for building one.
      return;
    }
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    // A stream refused before it was held (401, 503) is answered, and logged, as any request.
    const streams = new WeakMap<FastifyRequest, () => void>();
    fastify.addHook('onResponse', (request, reply, done) => {
      streams.get(request)?.();
      logRequest(logger, request, reply);
      done();
    });
    // A stream takes the connection over (NodeSseConnection), so Fastify's onResponse never runs
    // for it: its line is written when the connection closes, with how long it was held (held
    // streams answer 200). What the line needs is read now (once the socket is closed it has no
    // remote address any more), so a held stream keeps a few strings, not the request.
    fastify.addHook('onRequest', (request, reply, done) => {
      if (STREAM_ROUTES.has(request.routeOptions.url ?? '')) {
        const socket = request.raw.socket;
        const line = lineOf(request);
        const started = performance.now() - reply.elapsedTime;
        const held = (): void => write(logger, line, 200, performance.now() - started);
        socket.once('close', held);
        // Answered instead (refused): the connection may carry more requests.
        streams.set(request, () => socket.removeListener('close', held));
      }
      done();
    });
  }
}

interface LineFields {
  requestId: string;
  method: string;
  route: string;
  env: string | undefined;
  ip: string;
}

function lineOf(request: FastifyRequest): LineFields {
  const params = request.params as { environment_uuid?: string } | undefined;
  return {
    requestId: request.id,
    method: request.method,
    route: request.routeOptions.url ?? '',
    env: params?.environment_uuid,
    ip: request.ip,
  };
}

function logRequest(logger: Logger, request: FastifyRequest, reply: FastifyReply): void {
  write(logger, lineOf(request), reply.statusCode, reply.elapsedTime);
}

function write(logger: Logger, line: LineFields, status: number, latencyMs: number): void {
  // Probes and scrapes arrive every few seconds and say nothing about SDK traffic.
  if (PROBE_ROUTES.has(line.route) && line.method === 'GET') {
    return;
  }
  const { requestId, method, route, env, ip } = line;
  logger.info(
    { requestId, method, route, env, status, latencyMs: Math.round(latencyMs * 10) / 10, ip },
    'request',
  );
}
