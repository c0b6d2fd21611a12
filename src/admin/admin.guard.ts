import { createHash, timingSafeEqual } from 'node:crypto';
import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { UnauthorisedError } from '../common/errors/proxy-error.js';
import { AppConfig } from '../config/app-config.js';

interface AdminRequest {
  headers: Record<string, string | string[] | undefined>;
}

/**
 * Admin API callers send `Authorization: Bearer <ADMIN_API_TOKEN>`. Compared in constant time
 * (over digests, so the length of the token does not leak either); anything else is a 401.
 */
@Injectable()
export class AdminGuard implements CanActivate {
  private readonly expected: Buffer;

  constructor(config: AppConfig) {
    this.expected = digest(config.admin.token ?? '');
  }

  canActivate(context: ExecutionContext): boolean {
    const header = context.switchToHttp().getRequest<AdminRequest>().headers.authorization;
    const token = typeof header === 'string' ? /^Bearer (.+)$/.exec(header)?.[1] : undefined;
    if (token === undefined || !timingSafeEqual(digest(token), this.expected)) {
      throw new UnauthorisedError('missing or wrong admin token');
    }
    return true;
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
