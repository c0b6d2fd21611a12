import { type IncomingMessage } from 'node:http';
import type { Params } from 'nestjs-pino';
import { stdTimeFunctions } from 'pino';
import type { AppConfig } from '../config/app-config.js';
import { errorFields } from './error-fields.js';

/** Paths the logger must never print: credentials, tokens and targets. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["api-key"]',
  // OFREP clients send the SDK key itself.
  'req.headers["x-api-key"]',
  'req.headers["harness-target"]',
  'req.headers.cookie',
  '*.apiKey',
  '*.proxyKey',
  '*.authToken',
  '*.password',
  '*.secret',
  // ioredis errors carry the failed command; AUTH and HELLO carry the Redis password.
  '*.command.args',
];

/**
 * How every ff-relay log line looks, in the server and in one-shot commands alike: text levels,
 * RFC 3339 times, secrets redacted, every error as `{type, message}`.
 */
export const LOG_LINE_OPTIONS = {
  redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  serializers: { err: errorFields },
  timestamp: stdTimeFunctions.isoTime,
  formatters: { level: (label: string) => ({ level: label }) },
};

/**
 * Structured JSON as log pipelines expect it: `"level":"info"` and an RFC 3339 UTC `time`
 * (Harness logs the same way). Request lines come from the access log (access-log.ts), not
 * from pino-http's middleware, which is mounted on no route.
 */
export function loggerOptions(config: AppConfig): Params {
  return {
    forRoutes: [],
    pinoHttp: {
      level: config.log.level,
      ...LOG_LINE_OPTIONS,
      // The Fastify adapter has already chosen the id (see http-server.ts).
      genReqId: (req: IncomingMessage) => req.id,
      autoLogging: false,
      transport: config.log.pretty ? { target: 'pino-pretty' } : undefined,
    },
  };
}
