import { Injectable, Logger } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { CACHE_KEYS, KEY_NAMES, sha256Hex } from '../cache/cache-keys.js';
import { ConfigReader } from '../cache/config-reader.service.js';
import { ConfigWriter } from '../cache/config-writer.service.js';
import { EnvironmentMismatchError, UnauthorisedError } from '../common/errors/proxy-error.js';
import type { Target } from '../model/target.js';
import { type SdkPrincipal, type SdkTokenClaims } from './sdk-token.js';
import { SigningKeys } from './signing-keys.service.js';
import { TargetForwarder } from './target-forwarder.service.js';

/** The Go proxy always answers `"1"`; SDKs only echo it back as the `cluster` query parameter. */
const CLUSTER_IDENTIFIER = '1';

@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);

  constructor(
    private readonly jwt: JwtService,
    private readonly reader: ConfigReader,
    private readonly writer: ConfigWriter,
    private readonly targets: TargetForwarder,
    private readonly keys: SigningKeys,
  ) {}

  /** Exchanges a raw SDK key (and optional target) for a token (docs/sdk-api.md). */
  async authenticate(apiKey: string, target: Target | undefined): Promise<string> {
    const keyHash = sha256Hex(apiKey);
    const environment = await this.reader.environmentOfKey(keyHash);
    if (environment === null) {
      throw new UnauthorisedError();
    }
    if (target?.identifier) {
      const named = { ...target, name: target.name || target.identifier };
      this.storeTarget(environment, named);
      this.targets.forward(apiKey, named);
    }
    const claims: SdkTokenClaims = {
      // The claim is the key's cache name, as the Go proxy writes it.
      apiKey: CACHE_KEYS.authKey(keyHash),
      environment,
      clusterIdentifier: CLUSTER_IDENTIFIER,
      ...(await this.environmentClaims(environment)),
    };
    const now = Math.floor(Date.now() / 1000);
    const { key, kid } = await this.keys.signingFresh();
    return this.jwt.signAsync(
      { ...claims, iat: now, nbf: now },
      { privateKey: key as never, ...(kid ? { keyid: kid } : {}) },
    );
  }

  /** Checks, on every request, that the token's key still exists: revoked keys stop at once. */
  async principalOf(claims: Partial<SdkTokenClaims>): Promise<SdkPrincipal> {
    const { apiKey, environment } = claims;
    if (typeof apiKey !== 'string' || typeof environment !== 'string') {
      throw new UnauthorisedError('missing or malformed jwt');
    }
    const keyHash = KEY_NAMES.authKeyHash(apiKey) ?? apiKey;
    const keyEnvironment = await this.reader.environmentOfKey(keyHash);
    if (keyEnvironment === null) {
      throw new UnauthorisedError('invalid or revoked token');
    }
    // A forged or stale claim: the key belongs to another environment than the token says.
    if (keyEnvironment !== environment) {
      throw new EnvironmentMismatchError(environment, keyEnvironment);
    }
    return { environment, keyHash };
  }

  /** SDKs send these claims as headers; without them the JS SDK sends the text `undefined`. */
  private async environmentClaims(env: string): Promise<Partial<SdkTokenClaims>> {
    const first = (await this.reader.flags(env)).flags[0];
    return {
      ...(first?.environment ? { environmentIdentifier: first.environment } : {}),
      ...(first?.project ? { projectIdentifier: first.project } : {}),
    };
  }

  /**
   * Not awaited: the target is in this instance's memory at once, and a slow or hung cache must
   * not hold the SDK's auth. Harness too logs and ignores a failed target write.
   */
  private storeTarget(env: string, target: Target): void {
    this.writer.writeTarget(env, target).catch((err: unknown) => {
      this.logger.warn({ err, env }, 'could not store the target sent at auth');
    });
  }
}
