import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SAAS_PREFIX } from './common/routes.js';
import type { AppConfig } from './config/app-config.js';

/** The JS SDK sends the whole target base64-encoded in a header; allow up to ~300 KiB (§0.6). */
const MAX_HEADER_BYTES = 320 * 1024;

/**
 * The Fastify adapter with everything that must exist before Nest starts: body limit, header
 * size, TLS, request ids, and the optional SaaS `/api/1.0` prefix.
 */
export function createHttpAdapter(config: AppConfig): FastifyAdapter {
  const { tls } = config.server;
  const common = {
    bodyLimit: config.server.bodyLimitBytes,
    routerOptions: { maxParamLength: 1024 },
    genReqId: requestId,
    requestIdHeader: false as const,
    rewriteUrl: (req: IncomingMessage) => stripSaasPrefix(req.url ?? '/'),
    // SDK streams live for hours; Fastify must not time them out.
    connectionTimeout: 0,
  };
  if (tls.enabled) {
    const https = { cert: readFileSync(tls.cert), key: readFileSync(tls.key) };
    return new FastifyAdapter({ ...common, https: { ...https, maxHeaderSize: MAX_HEADER_BYTES } });
  }
  return new FastifyAdapter({ ...common, http: { maxHeaderSize: MAX_HEADER_BYTES } });
}

/** Pieces of the HTTP pipeline that are Fastify plugins or hooks rather than Nest providers. */
export function configureHttp(app: NestFastifyApplication): void {
  app.enableCors({
    origin: '*',
    methods: 'GET,OPTIONS,POST',
    // `*` alone does not cover Authorization in browsers, so name it explicitly (§0.5).
    allowedHeaders: '*,Authorization',
    optionsSuccessStatus: 204,
  });
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
}

function requestId(req: IncomingMessage): string {
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && incoming.length <= 200 ? incoming : randomUUID();
  // pino-http reads the same id from here, so logs and error bodies agree.
  req.id = id;
  return id;
}

function stripSaasPrefix(url: string): string {
  return url === SAAS_PREFIX ||
    url.startsWith(`${SAAS_PREFIX}/`) ||
    url.startsWith(`${SAAS_PREFIX}?`)
    ? url.slice(SAAS_PREFIX.length) || '/'
    : url;
}
