import { type ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { CACHE_KEYS } from '../cache/cache-keys.js';
import {
  EnvironmentMismatchError,
  ProxyError,
  UnauthorisedError,
} from '../common/errors/proxy-error.js';
import { AppConfig } from '../config/app-config.js';
import { AuthService } from './auth.service.js';
import { RouteMarkings } from './route-markings.js';
import type { SdkPrincipal } from './sdk-token.js';
import { SigningKeys } from './signing-keys.service.js';
import { bearerToken, VerifiedTokens } from './verified-tokens.js';

export interface GuardedRequest {
  headers: Record<string, string | string[] | undefined>;
  params?: Record<string, string | undefined>;
  user?: SdkPrincipal;
}

/**
 * Secure by default: every route needs a valid SDK token unless marked `@Public()`. A route with
 * an `environment_uuid` parameter also needs the token's environment to match it exactly. It
 * runs after the readiness gate (ReadinessGuard), so a token is never refused for want of
 * config.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  private readonly logger = new Logger(JwtAuthGuard.name);
  private readonly verified = new VerifiedTokens();
  constructor(
    private readonly markings: RouteMarkings,
    private readonly config: AppConfig,
    private readonly keys: SigningKeys,
    private readonly auth: AuthService,
  ) {
    super();
    if (config.auth.bypass) {
      this.logger.warn('BYPASS_AUTH is on: every SDK route is open to anyone, with no token');
    }
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.markings.of(context).isPublic) {
      return true;
    }
    await this.authorize(context.switchToHttp().getRequest<GuardedRequest>(), () => context);
    return true;
  }

  /**
   * What the guard checks on a route that needs a token, for a caller that has no Nest context
   * at hand (the byte routes Fastify serves directly): `contextOf` is called only when passport
   * has to verify a token it has not seen.
   */
  async authorize(request: GuardedRequest, contextOf: () => ExecutionContext): Promise<void> {
    if (this.config.auth.bypass) {
      return;
    }
    await this.authenticate(request, contextOf);
    const pathEnv = request.params?.environment_uuid;
    const tokenEnv = request.user?.environment ?? '';
    if (pathEnv !== undefined && pathEnv !== tokenEnv) {
      throw new EnvironmentMismatchError(tokenEnv, pathEnv);
    }
  }

  /**
   * A token seen recently skips the signature check (VerifiedTokens); the secret that signed it
   * must still be accepted and its SDK key must still exist, exactly as for a new one.
   */
  private async authenticate(
    request: GuardedRequest,
    contextOf: () => ExecutionContext,
  ): Promise<void> {
    const token = bearerToken(request.headers.authorization);
    const known = token === undefined ? undefined : this.verified.get(token);
    if (token !== undefined && known !== undefined) {
      if (this.keys.verifying(token) !== undefined) {
        request.user = await this.auth.principalOf({
          apiKey: CACHE_KEYS.authKey(known.keyHash),
          environment: known.environment,
        });
        return;
      }
      this.logger.debug({ env: known.environment }, 'sdk token cache: its secret was retired');
      this.verified.forget(token);
    }
    await super.canActivate(contextOf());
    if (token !== undefined && request.user !== undefined) {
      // Once per token and process: later requests with it skip the signature check.
      this.logger.debug({ env: request.user.environment }, 'sdk token verified: cached');
      this.verified.remember(token, request.user);
    }
  }

  override handleRequest<T>(err: unknown, user: T, info: unknown): T {
    // passport-jwt reports a failure of the key lookup as `info` (a 503 for a cache fault).
    if (err instanceof ProxyError || info instanceof ProxyError) {
      throw err instanceof ProxyError ? err : (info as ProxyError);
    }
    if (err || !user) {
      // passport gives `err` only for a failure of its own (a token it could not check at all).
      this.logger.debug(
        { ...(err ? { err } : {}), reason: describeInfo(info) },
        'sdk token rejected',
      );
      throw new UnauthorisedError('missing or malformed jwt');
    }
    return user;
  }
}

/** passport-jwt reports why a token failed (expired, bad signature…) as `info`. */
function describeInfo(info: unknown): string | undefined {
  return info instanceof Error ? info.message : undefined;
}
