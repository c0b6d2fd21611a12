import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { CompressedBodies } from './client-api/compressed-bodies.js';
import { ClientConfigService } from './client-api/client-config.service.js';
import { ClientEvaluationService } from './client-api/client-evaluation.service.js';
import { serveByteRoutesDirectly } from './client-api/direct-routes.js';
import { encodeSharedBodies } from './client-api/shared-body-encoding.js';
import { jsonLimitExceeded } from './common/json-limits.js';
import { ADMIN_PREFIX, SAAS_PREFIX } from './common/routes.js';
import type { AppConfig } from './config/app-config.js';
import type { TrustedProxies } from './config/trusted-proxies.js';
import { recordHttpMetrics } from './metrics/http-metrics-hooks.js';
import { HttpRequestMetrics } from './metrics/http-request-metrics.js';

const TOO_BIG = { statusCode: 400, code: 'FST_ERR_JSON_LIMITS' };

/**
 * How main.ts and the tests create the app. `bodyParser: false` keeps Fastify's own JSON parser
 * and nothing else: Nest would add a form (urlencoded) parser, and SDK routes take JSON only.
 */
export const APP_OPTIONS = { bufferLogs: true, bodyParser: false } as const;

/**
 * The JS SDK sends the whole target base64-encoded in a header; allow up to ~300 KiB
 * (docs/sdk-api.md, "Browsers").
 */
const MAX_HEADER_BYTES = 320 * 1024;

/**
 * The Fastify adapter with everything that must exist before Nest starts: body limit, header
 * size, TLS, request ids, and the optional SaaS `/api/1.0` prefix.
 */
export function createHttpAdapter(config: AppConfig): FastifyAdapter {
  const { tls, idleTimeoutMs, requestTimeoutMs } = config.server;
  // Slow or silent clients must not pile up sockets. Two timers can close one: the socket idle
  // timeout (`connectionTimeout`: no byte either way for that long; SDK streams write a heartbeat
  // at least every 15 s, so they stay) closes it without a word, and Node's request deadlines
  // (`headersTimeout`, `requestTimeout`, checked every `connectionsCheckingInterval`; they also
  // run for a connection that has sent nothing yet) answer 408 and close it. Whichever is due
  // first wins.
  const limits = {
    maxHeaderSize: MAX_HEADER_BYTES,
    headersTimeout: Math.min(10_000, requestTimeoutMs),
    connectionsCheckingInterval: 1_000,
  };
  const common = {
    bodyLimit: config.server.bodyLimitBytes,
    routerOptions: { maxParamLength: 1024 },
    genReqId: requestId,
    requestIdHeader: false as const,
    rewriteUrl: (req: IncomingMessage) => stripSaasPrefix(req.url ?? '/'),
    connectionTimeout: idleTimeoutMs,
    // At shutdown, idle keep-alive connections are closed at once instead of waiting out their
    // keep-alive timeout (72 s, longer than Kubernetes' default 30 s grace).
    forceCloseConnections: 'idle' as const,
    requestTimeout: requestTimeoutMs,
    trustProxy: trustProxyOf(config.server.trustedProxies),
  };
  if (tls.enabled) {
    const https = { cert: readFileSync(tls.cert), key: readFileSync(tls.key) };
    return new FastifyAdapter({ ...common, https: { ...https, ...limits } });
  }
  return new FastifyAdapter({ ...common, http: limits });
}

/** Pieces of the HTTP pipeline that are Fastify plugins or hooks rather than Nest providers. */
export function configureHttp(app: NestFastifyApplication): void {
  recordHttpMetrics(app.getHttpAdapter() as FastifyAdapter, app.get(HttpRequestMetrics));
  const fastify = app.getHttpAdapter().getInstance();
  // SDK routes are CORS-open to every origin (browser SDKs); Admin API routes not at all, so no
  // page on another origin can call them with an operator's token, nor even preflight them.
  // Routes are added when the app initialises, after this hook; `cors: false` is read per route
  // by @fastify/cors, and admin preflights match the OPTIONS route below instead of its `*` one.
  fastify.addHook('onRoute', (route) => {
    if (route.url === ADMIN_PREFIX || route.url.startsWith(`${ADMIN_PREFIX}/`)) {
      route.config = { ...route.config, cors: false };
    }
  });
  serveByteRoutesDirectly(fastify, app, {
    configs: app.get(ClientConfigService),
    evaluations: app.get(ClientEvaluationService),
  });
  fastify.options(`${ADMIN_PREFIX}/*`, (_request, reply) => reply.callNotFound());
  app.enableCors({
    origin: '*',
    methods: 'GET,OPTIONS,POST',
    // `*` alone does not cover Authorization in browsers, so name it explicitly
    // (docs/sdk-api.md, "Browsers").
    allowedHeaders: '*,Authorization',
    optionsSuccessStatus: 204,
  });
  encodeSharedBodies(fastify, app.get(CompressedBodies));
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  // Before Nest validates anything: a huge array or a deeply nested body is refused at once with
  // a short 400, instead of being transformed and validated entry by entry (or overflowing the
  // stack) while the event loop waits.
  fastify.addHook('preValidation', (request, _reply, done) => {
    const problem = jsonLimitExceeded(request.body);
    done(problem ? Object.assign(new Error(`bad request: ${problem}`), TOO_BIG) : undefined);
  });
}

/**
 * Fastify's `trustProxy` for TRUSTED_PROXIES. A hop count becomes a function: Fastify itself
 * reads a number as "trust nobody" (it cannot tell a proxy from a client that sent the header),
 * so trusting the nearest hops whatever their addresses is said explicitly here.
 */
function trustProxyOf(
  trusted: TrustedProxies,
): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof trusted === 'number') {
    return trusted > 0 ? (_address: string, hop: number) => hop < trusted : false;
  }
  return trusted.length > 0 ? [...trusted] : false;
}

function requestId(req: IncomingMessage): string {
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && incoming.length <= 200 ? incoming : randomUUID();
  // pino-http reads the same id from here, so logs and error bodies agree.
  req.id = id;
  return id;
}

function stripSaasPrefix(url: string): string {
  if (url === SAAS_PREFIX || url.startsWith(`${SAAS_PREFIX}/`)) {
    return url.slice(SAAS_PREFIX.length) || '/';
  }
  // `/api/1.0?x=1` is the root with a query, not the path `?x=1`.
  return url.startsWith(`${SAAS_PREFIX}?`) ? `/${url.slice(SAAS_PREFIX.length)}` : url;
}
