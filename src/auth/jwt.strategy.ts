import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { AuthService } from './auth.service.js';
import type { SdkPrincipal, SdkTokenClaims } from './sdk-token.js';
import { SigningKeys } from './signing-keys.service.js';

type KeyCallback = (err: Error | null, key?: Buffer) => void;

/**
 * Verifies SDK bearer tokens: HS256 only (so `alg: none` and key-confusion tokens fail), `nbf`,
 * `iat` and `exp` checked when present, then the key must still exist in the cache.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    keys: SigningKeys,
    private readonly auth: AuthService,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // The key named by the token's `kid` (a rotated secret), else the configured one. A
      // KeyObject, not a string: jsonwebtoken would re-parse a string as a public key on every
      // verification, which dominated the cost of an SDK request. (Typings name only Buffers.)
      secretOrKeyProvider: (_request: unknown, token: string, done: KeyCallback) => {
        keys.verifyingFresh(token).then(
          (key) => {
            if (key) {
              done(null, key as unknown as Buffer);
            } else {
              done(new Error('token signed with an unknown or retired secret'));
            }
          },
          // A cache that could not say which secrets hold (503, never 401).
          (err: unknown) => done(err as Error),
        );
      },
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
