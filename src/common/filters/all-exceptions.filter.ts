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
    const shape = describeError(exception) ?? {
      status: 500,
      code: 'INTERNAL_SERVER_ERROR',
      message: 'internal error',
    };
    if (shape.status >= 500) {
      this.logger.error({ err: exception, requestId: request.id }, 'request failed');
    }
    this.adapterHost.httpAdapter.reply(
      http.getResponse(),
      errorBody(shape, request.id ?? ''),
      shape.status,
    );
  }
}
