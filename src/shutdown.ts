import type { INestApplication } from '@nestjs/common';
import type { Logger } from 'nestjs-pino';

/**
 * SIGTERM and SIGINT: stop accepting, end SDK streams (their SDKs reconnect to another
 * instance), let requests under way finish, flush SDK metrics, close Redis, exit 0. Whatever
 * hangs (a Redis that went away with the namespace, an upstream that does not answer) cannot
 * hold the process past `deadlineMs`: it then exits 1, saying so.
 */
export function exitOnSignals(app: INestApplication, logger: Logger, deadlineMs: number): void {
  let closing = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (closing) {
      return;
    }
    closing = true;
    // nestjs-pino's Logger takes a trailing string as the context, so name one.
    logger.log(
      { signal, deadlineMs },
      'shutting down: ending SDK streams, flushing SDK metrics',
      'Shutdown',
    );
    setTimeout(() => {
      console.error(`ff-relay: shutdown did not finish within ${deadlineMs} ms: exiting anyway`);
      process.exit(1);
    }, deadlineMs).unref();
    app.close().then(
      () => {
        logger.log('shut down', 'Shutdown');
        process.exit(0);
      },
      (err: unknown) => {
        console.error('ff-relay: shutdown failed', err);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}
