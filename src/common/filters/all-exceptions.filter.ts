import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  Logger,
  NotFoundException,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { describeError, errorBody } from '../errors/error-body.js';
import { ofrepErrorBody } from '../errors/ofrep-error.js';
import { ProxyError } from '../errors/proxy-error.js';
import { allowedMethods, OFREP_PREFIX } from '../routes.js';

export interface ErrorRequest {
  id?: string;
  method?: string;
  url?: string;
}

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
    this.respond(exception, http.getRequest<ErrorRequest>(), http.getResponse());
  }

  /** Writes the error answer; also called by routes that do not run through Nest's router. */
  respond(exception: unknown, request: ErrorRequest, response: unknown): void {
    let shape = describeError(exception);
    const allowed = exception instanceof NotFoundException ? allowedMethods(request.url ?? '') : [];
    if (allowed.length > 0 && !allowed.includes(request.method ?? '')) {
      // A known path asked with the wrong method: 405, as the Go proxy's router answers.
      shape = { status: 405, code: 'METHOD_NOT_ALLOWED', message: 'Method Not Allowed' };
      this.adapterHost.httpAdapter.setHeader(response, 'Allow', allowed.join(', '));
    }
    if (exception instanceof ProxyError) {
      for (const [name, value] of Object.entries(exception.headers)) {
        this.adapterHost.httpAdapter.setHeader(response, name, value);
      }
    }
    if (!shape) {
      // Known errors carry their status; only the unexpected ones are a bug worth an error log.
      const stack = exception instanceof Error ? exception.stack : undefined;
      this.logger.error({ err: exception, stack, requestId: request.id }, 'request failed');
      shape = { status: 500, code: 'INTERNAL_SERVER_ERROR', message: 'internal error' };
    }
    const url = request.url ?? '';
    // OpenFeature clients need their own error shape to tell a bad context from a broken server.
    const body = url.startsWith(OFREP_PREFIX)
      ? ofrepErrorBody(exception, shape.status, shape.message, url)
      : errorBody(shape, request.id ?? '');
    this.adapterHost.httpAdapter.reply(response, body, shape.status);
  }
}
