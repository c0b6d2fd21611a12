/**
 * A domain error that knows its HTTP status and a stable machine-readable code. `message` is the
 * text SDK-facing bodies carry (Harness wording where the spec gives one).
 */
export abstract class ProxyError extends Error {
  abstract readonly status: number;
  abstract readonly code: string;
  /** Response headers the answer must carry (e.g. `Retry-After`). */
  readonly headers: Readonly<Record<string, string>> = {};
}

export class BadRequestError extends ProxyError {
  readonly status = 400;
  readonly code = 'BAD_REQUEST';
  constructor(detail: string) {
    super(`bad request: ${detail}`);
  }
}

export class UnauthorisedError extends ProxyError {
  readonly status = 401;
  readonly code = 'UNAUTHORISED';
  constructor(message = 'unauthorised') {
    super(message);
  }
}

export class EnvironmentMismatchError extends ProxyError {
  readonly status = 401;
  readonly code = 'ENVIRONMENT_MISMATCH';
  constructor(tokenEnvironment: string, pathEnvironment: string) {
    super(`Environment ID [${tokenEnvironment}] mismatch with requested ${pathEnvironment}`);
  }
}

/** The request cannot be served in this instance's state; the message says what is missing. */
export class ConflictError extends ProxyError {
  readonly status = 409;
  readonly code = 'CONFLICT';
}

/** Well-formed input the upstream refused (a proxy key it does not know). */
export class UnprocessableError extends ProxyError {
  readonly status = 422;
  readonly code = 'UNPROCESSABLE';
}

/** The upstream did not answer usably, so nothing changed. */
export class BadGatewayError extends ProxyError {
  readonly status = 502;
  readonly code = 'UPSTREAM_FAILED';
}

/** The store did not take a change, so nothing changed. */
export class ChangeNotStoredError extends ProxyError {
  readonly status = 503;
  readonly code = 'NOT_STORED';
  constructor(what: string) {
    super(`${what} could not be stored: nothing changed, try again`);
  }
}

/** A route only the primary serves, asked of a read replica. */
export class PrimaryOnlyError extends ProxyError {
  readonly status = 403;
  readonly code = 'PRIMARY_ONLY';
  constructor() {
    super('this route is served by the primary only: this instance is a read replica');
  }
}

export class NotFoundError extends ProxyError {
  readonly status = 404;
  readonly code = 'NOT_FOUND';
  constructor(what?: string) {
    super(what ? `not found: ${what}` : 'not found');
  }
}

export class StreamUnavailableError extends ProxyError {
  readonly status = 503;
  readonly code = 'STREAM_UNAVAILABLE';
  constructor() {
    super('SaaS stream disconnected: streaming endpoint disabled');
  }
}

/**
 * This instance holds as many SDK streams as it may. SDKs poll meanwhile and retry the stream;
 * through a load balancer the retry may reach an instance with room.
 */
export class StreamLimitError extends ProxyError {
  readonly status = 503;
  readonly code = 'STREAM_LIMIT_REACHED';
  override readonly headers: Readonly<Record<string, string>>;
  constructor(limit: number, retryAfterSeconds: number) {
    super(`this instance holds its limit of ${limit} SDK streams: poll, or retry the stream later`);
    this.headers = { 'Retry-After': String(retryAfterSeconds) };
  }
}

/** 503, never 401: SDKs retry later, where a 401 would tell them their key is bad. */
export class NotReadyError extends ProxyError {
  readonly status = 503;
  readonly code = 'NOT_READY';
  constructor(waitingFor = 'the first config has not been loaded yet') {
    super(`proxy is not ready: ${waitingFor}`);
  }
}

/**
 * The cache did not answer and memory has no copy of what was asked. 503 so SDKs retry later:
 * a 401 would tell them their key is bad, an empty list that every flag is gone.
 */
export class CacheUnavailableError extends ProxyError {
  readonly status = 503;
  readonly code = 'CACHE_UNAVAILABLE';
  constructor() {
    super('the cache is unavailable: try again shortly');
  }
}

/**
 * SDK metrics could not be stored where the primary forwards them from. 503, so the SDK posts
 * them again (the Node SDK retries until it can): answering 200 would promise what a killed
 * instance cannot keep.
 */
export class MetricsNotStoredError extends ProxyError {
  readonly status = 503;
  readonly code = 'METRICS_NOT_STORED';
  override readonly headers = { 'Retry-After': '5' };
  constructor() {
    super('the sdk metrics could not be stored: post them again shortly');
  }
}

export class EvaluationFailedError extends ProxyError {
  readonly status = 500;
  readonly code = 'EVALUATION_FAILED';
  constructor(feature: string) {
    super(`error while evaluating flag ${feature}`);
  }
}

/** `/health` while the startup sync failed and nothing can be served: 500, as Harness. */
export class SyncFailedError extends ProxyError {
  readonly status = 500;
  readonly code = 'FAILED_TO_SYNC';
  constructor() {
    super('internal error');
  }
}

/** Too many failed attempts from one client address: it may try again after `Retry-After`. */
export class TooManyRequestsError extends ProxyError {
  readonly status = 429;
  readonly code = 'TOO_MANY_REQUESTS';
  override readonly headers: Readonly<Record<string, string>>;
  constructor(what: string, retryAfterSeconds: number) {
    super(`too many ${what} from this address: retry in ${retryAfterSeconds} s`);
    this.headers = { 'Retry-After': String(retryAfterSeconds) };
  }
}
