import { createSecretKey } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { AppConfig } from '../config/app-config.js';
import { AuthService } from './auth.service.js';
import type { SdkPrincipal, SdkTokenClaims } from './sdk-token.js';

type KeyCallback = (err: null, key: Buffer) => void;

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
    // A KeyObject, not the string: given a string, jsonwebtoken first tries (and fails) to parse
    // it as a public key on every verification, which dominated the cost of an SDK request.
    const key = createSecretKey(Buffer.from(config.auth.secret));
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // jsonwebtoken accepts a KeyObject; the typings only name strings and Buffers.
      secretOrKeyProvider: (_request: unknown, _token: unknown, done: KeyCallback) =>
        done(null, key as unknown as Buffer),
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
