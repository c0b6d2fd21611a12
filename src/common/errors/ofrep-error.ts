import { ProxyError } from './proxy-error.js';

/** The OpenFeature error codes an OFREP answer carries (docs/openfeature.md). */
export type OfrepErrorCode =
  'PARSE_ERROR' | 'TARGETING_KEY_MISSING' | 'INVALID_CONTEXT' | 'FLAG_NOT_FOUND' | 'GENERAL';

/** An OFREP evaluation that cannot be answered; its body is `{key, errorCode, errorDetails}`. */
export class OfrepError extends ProxyError {
  constructor(
    readonly status: number,
    readonly code: OfrepErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** The OFREP body of an error on an OFREP route (`key` on the single-flag route only). */
export interface OfrepErrorBody {
  key?: string;
  errorCode: string;
  errorDetails: string;
}

const SINGLE_FLAG = /^\/ofrep\/v1\/evaluate\/flags\/([^/?]+)/;

/**
 * OFREP clients read `errorCode` (and `key` on the single-flag route) from a 400, 404 or 500, and
 * treat any other shape as a broken server; a body Fastify refused to parse is a `PARSE_ERROR`.
 */
export function ofrepErrorBody(
  exception: unknown,
  status: number,
  message: string,
  url: string,
): OfrepErrorBody {
  const errorCode =
    exception instanceof OfrepError ? exception.code : status === 400 ? 'PARSE_ERROR' : 'GENERAL';
  const key = SINGLE_FLAG.exec(url)?.[1];
  return {
    ...(key === undefined ? {} : { key: safeDecode(key) }),
    errorCode,
    errorDetails: message,
  };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
