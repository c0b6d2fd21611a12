import { createHash, timingSafeEqual } from 'node:crypto';
import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { TooManyRequestsError, UnauthorisedError } from '../common/errors/proxy-error.js';
import { AppConfig } from '../config/app-config.js';
import { FailureLimiter } from '../common/failure-limiter.js';

/** Wrong admin tokens one client address may send a minute before it must wait. */
export const ADMIN_FAILURES_PER_MINUTE = 10;

interface AdminRequest {
  headers: Record<string, string | string[] | undefined>;
  ip: string;
}

/**
 * Admin API callers send `Authorization: Bearer <ADMIN_API_TOKEN>`. Compared in constant time
 * (over digests, so the length of the token does not leak either); anything else is a 401. An
 * address that sent 10 wrong tokens in a minute gets 429 until the oldest leaves the minute,
 * without its token being checked (or a right guess would stand out from the 429s).
 */
@Injectable()
export class AdminGuard implements CanActivate {
  private readonly expected: Buffer;
  private readonly failures = new FailureLimiter(ADMIN_FAILURES_PER_MINUTE, 60_000);

  constructor(config: AppConfig) {
    this.expected = digest(config.admin.token ?? '');
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<AdminRequest>();
    const wait = this.failures.retryAfterSeconds(request.ip);
    if (wait > 0) {
      throw new TooManyRequestsError('wrong admin tokens', wait);
    }
    const header = request.headers.authorization;
    const token = typeof header === 'string' ? /^Bearer (.+)$/.exec(header)?.[1] : undefined;
    if (token === undefined || !timingSafeEqual(digest(token), this.expected)) {
      this.failures.fail(request.ip);
      throw new UnauthorisedError('missing or wrong admin token');
    }
    return true;
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
