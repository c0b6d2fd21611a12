import { type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { IS_PUBLIC } from '../common/decorators/public.decorator.js';
import {
  EnvironmentMismatchError,
  ProxyError,
  UnauthorisedError,
} from '../common/errors/proxy-error.js';
import { AppConfig } from '../config/app-config.js';
import type { SdkPrincipal } from './sdk-token.js';

interface GuardedRequest {
  params?: Record<string, string | undefined>;
  user?: SdkPrincipal;
}

/**
 * Secure by default: every route needs a valid SDK token unless marked `@Public()`. A route with
 * an `environment_uuid` parameter also needs the token's environment to match it exactly.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(
    private readonly reflector: Reflector,
    private readonly config: AppConfig,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic || this.config.auth.bypass) {
      return true;
    }
    await super.canActivate(context);
    const request = context.switchToHttp().getRequest<GuardedRequest>();
    const pathEnv = request.params?.environment_uuid;
    const tokenEnv = request.user?.environment ?? '';
    if (pathEnv !== undefined && pathEnv !== tokenEnv) {
      throw new EnvironmentMismatchError(tokenEnv, pathEnv);
    }
    return true;
  }

  override handleRequest<T>(err: unknown, user: T): T {
    if (err instanceof ProxyError) {
      throw err;
    }
    if (err || !user) {
      throw new UnauthorisedError('missing or malformed jwt');
    }
    return user;
  }
}
