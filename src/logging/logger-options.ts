import type { IncomingMessage } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { AppConfig } from '../config/app-config.js';

/** Paths the request logger must never print: credentials, tokens and targets. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["api-key"]',
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

const QUIET_PATHS = new Set(['/health', '/metrics']);

/** Structured JSON logs; health checks and scrapes stay out of the request log. */
export function loggerOptions(config: AppConfig): Params {
  return {
    pinoHttp: {
      level: config.log.level,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      // The Fastify adapter has already chosen the id (see http-server.ts).
      genReqId: (req: IncomingMessage) => req.id,
      autoLogging: {
        ignore: (req: IncomingMessage) => QUIET_PATHS.has((req.url ?? '').split('?')[0] ?? ''),
      },
      customLogLevel: (_req, res, err) => {
        if (err || res.statusCode >= 500) {
          return 'error';
        }
        return 'debug';
      },
      transport: config.log.pretty ? { target: 'pino-pretty' } : undefined,
    },
  };
}
