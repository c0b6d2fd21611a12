import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { describeError, errorBody } from '../errors/error-body.js';

/**
 * The one place errors become HTTP responses: ProxyError, HttpException and framework 4xx keep
 * their status; anything else is a generic 500, logged once with the error object.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger(AllExceptionsFilter.name);

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<{ id?: string }>();
    let shape = describeError(exception);
    if (!shape) {
      // Known errors carry their status; only the unexpected ones are a bug worth an error log.
      this.logger.error({ err: exception, requestId: request.id }, 'request failed');
      shape = { status: 500, code: 'INTERNAL_SERVER_ERROR', message: 'internal error' };
    }
    this.adapterHost.httpAdapter.reply(
      http.getResponse(),
      errorBody(shape, request.id ?? ''),
      shape.status,
    );
  }
}
