import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { AppConfig } from '../config/app-config.js';
import { AuthService } from './auth.service.js';
import type { SdkPrincipal, SdkTokenClaims } from './sdk-token.js';

/**
 * Verifies SDK bearer tokens: HS256 only (so `alg: none` and key-confusion tokens fail), `nbf`,
 * `iat` and `exp` checked when present, then the key must still exist in the cache.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    config: AppConfig,
    private readonly auth: AuthService,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: config.auth.secret,
      algorithms: ['HS256'],
      ignoreExpiration: false,
      // Replicas issue tokens too; tolerate small clock differences between instances.
      jsonWebTokenOptions: { clockTolerance: 5 },
    });
  }

  validate(claims: Partial<SdkTokenClaims>): Promise<SdkPrincipal> {
    return this.auth.principalOf(claims);
  }
}
