import { randomUUID } from 'node:crypto';
import { signJwt, verifyJwt } from './jwt.js';

/** What a token issued by `/proxy/auth` entitles its bearer to. */
export interface ProxyGrant {
  kind: 'proxy';
  keyId: string;
  /** The raw proxy key it was issued for: once that key is rotated out, the token dies too. */
  rawKey: string;
  /** The `environments` claim: a snapshot taken at auth time (docs/upstream.md). */
  environments: string[];
}

/** What a token issued by `/client/auth` (target forwarding) entitles its bearer to. */
export interface SdkGrant {
  kind: 'sdk';
  environment: string;
}

export type TokenGrant = ProxyGrant | SdkGrant;

interface Issued {
  grant: TokenGrant;
  expiresAt: number | undefined;
}

/**
 * Tokens are remembered server-side as well as signed, so tests can revoke them and the
 * proxy sees the 401 it must recover from by re-authenticating.
 */
export class TokenStore {
  private readonly issued = new Map<string, Issued>();

  constructor(
    private readonly secret: string,
    private ttlMs: number | undefined,
    private readonly now: () => number = Date.now,
  ) {}

  /** `iat` and `jti` make every token distinct, so a revoked token never comes back to life. */
  issue(claims: Record<string, unknown>, grant: TokenGrant): string {
    const issuedAt = this.now();
    const expiresAt = this.ttlMs === undefined ? undefined : issuedAt + this.ttlMs;
    const payload: Record<string, unknown> = {
      ...claims,
      iat: Math.floor(issuedAt / 1000),
      jti: randomUUID(),
    };
    if (expiresAt !== undefined) {
      payload.exp = Math.floor(expiresAt / 1000);
    }
    const token = signJwt(payload, this.secret);
    this.issued.set(token, { grant, expiresAt });
    return token;
  }

  lookup(token: string): TokenGrant | undefined {
    const issued = this.issued.get(token);
    if (!issued || !verifyJwt(token, this.secret)) {
      return undefined;
    }
    if (issued.expiresAt !== undefined && issued.expiresAt <= this.now()) {
      this.issued.delete(token);
      return undefined;
    }
    return issued.grant;
  }

  /** Applies to tokens issued from now on; `undefined` means they never expire. */
  setTtl(ttlMs: number | undefined): void {
    this.ttlMs = ttlMs;
  }

  revokeWhere(predicate: (grant: TokenGrant) => boolean): number {
    let revoked = 0;
    for (const [token, { grant }] of this.issued) {
      if (predicate(grant)) {
        this.issued.delete(token);
        revoked += 1;
      }
    }
    return revoked;
  }
}
