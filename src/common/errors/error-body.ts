import { HttpException, HttpStatus } from '@nestjs/common';
import { ProxyError } from './proxy-error.js';

/**
 * The JSON body of every error response. Harness SDKs only need a JSON object (the Go SDK treats a
 * 401 as final only when the body parses as one); `error` and `message` both carry the text
 * because the Go proxy uses either key depending on which layer failed (docs/sdk-api.md).
 */
export interface ErrorBody {
  statusCode: number;
  code: string;
  error: string;
  message: string;
  requestId: string;
}

export interface ErrorShape {
  status: number;
  code: string;
  message: string;
}

/** Fastify's own errors (body parsing, size limits) carry a 4xx `statusCode` and an `FST_` code. */
interface FrameworkError {
  statusCode: number;
  code?: string;
  message: string;
}

export function describeError(exception: unknown): ErrorShape | undefined {
  if (exception instanceof ProxyError) {
    return { status: exception.status, code: exception.code, message: exception.message };
  }
  if (exception instanceof HttpException) {
    return fromHttpException(exception);
  }
  if (isFrameworkError(exception) && exception.statusCode < 500) {
    return {
      status: exception.statusCode,
      code: codeForStatus(exception.statusCode),
      message: exception.message,
    };
  }
  return undefined;
}

export function errorBody(shape: ErrorShape, requestId: string): ErrorBody {
  return {
    statusCode: shape.status,
    code: shape.code,
    error: shape.message,
    message: shape.message,
    requestId,
  };
}

function fromHttpException(exception: HttpException): ErrorShape {
  const status = exception.getStatus();
  const response = exception.getResponse();
  let message = exception.message;
  if (typeof response === 'object' && response !== null && 'message' in response) {
    const raw: unknown = response.message;
    message = Array.isArray(raw) ? `bad request: ${raw.join(', ')}` : String(raw);
  }
  return { status, code: codeForStatus(status), message };
}

function isFrameworkError(value: unknown): value is FrameworkError {
  return (
    value instanceof Error &&
    typeof (value as Partial<FrameworkError>).statusCode === 'number' &&
    typeof (value as Partial<FrameworkError>).code === 'string'
  );
}

function codeForStatus(status: number): string {
  const name = HttpStatus[status];
  return typeof name === 'string' ? name : `HTTP_${status}`;
}
