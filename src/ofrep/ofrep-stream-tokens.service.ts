import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { SigningKeys } from '../auth/signing-keys.service.js';
import { UnauthorisedError } from '../common/errors/proxy-error.js';

/** How long an event-stream URL opens a stream. */
export const STREAM_TOKEN_TTL_S = 60 * 60;
/**
 * Tokens are issued per window, so every bulk answer in a window names the same URL: the web
 * provider keeps its stream while the URL is unchanged, and reconnects when it changes. A URL is
 * still good for at least TTL − window after it is handed out.
 */
const ISSUE_WINDOW_S = 15 * 60;
const PURPOSE = 'ofrep-events';
/** Tokens of the current window kept for reuse (every bulk answer names one). */
const MAX_ISSUED = 10_000;

/** What stream tokens need of the SDK-token secrets. */
export type StreamTokenKeys = Pick<SigningKeys, 'signing' | 'verifyingFresh'>;

export interface StreamGrant {
  environment: string;
  keyHash: string;
}

/**
 * The credential of the OFREP event-stream URL. A browser cannot add headers to an EventSource,
 * so the URL carries it, and URLs end up in logs: it is never the SDK key but a short-lived token
 * that only opens this stream. It is signed with a key derived from the SDK-token secret (so every
 * instance accepts it, and it never verifies as an SDK token nor the other way round).
 */
@Injectable()
export class OfrepStreamTokens {
  private readonly derived = new WeakMap<KeyObject, KeyObject>();
  /** The tokens issued in the current window, by key and grant: signing each costs an HMAC. */
  private issued = new Map<string, string>();
  private issuedWindow = 0;

  constructor(
    private readonly jwt: JwtService,
    /** Only what tokens need of the secrets (a test hands the one secret it signs with). */
    @Inject(SigningKeys) private readonly keys: StreamTokenKeys,
  ) {}

  issue(grant: StreamGrant, nowMs = Date.now()): string {
    const { key, kid } = this.keys.signing();
    const iat = Math.floor(nowMs / 1000 / ISSUE_WINDOW_S) * ISSUE_WINDOW_S;
    if (iat !== this.issuedWindow || this.issued.size >= MAX_ISSUED) {
      this.issued = new Map();
      this.issuedWindow = iat;
    }
    const cacheKey = `${kid ?? ''}\n${grant.environment}\n${grant.keyHash}`;
    let token = this.issued.get(cacheKey);
    if (!token) {
      const claims = { sub: PURPOSE, env: grant.environment, kh: grant.keyHash };
      token = this.jwt.sign(
        { ...claims, iat, exp: iat + STREAM_TOKEN_TTL_S },
        {
          privateKey: this.derive(key) as never,
          algorithm: 'HS256',
          ...(kid ? { keyid: kid } : {}),
        },
      );
      this.issued.set(cacheKey, token);
    }
    return token;
  }

  /** The environment and key a token grants, or 401 (expired, forged, or signed by a retired secret). */
  async verify(token: string): Promise<StreamGrant> {
    const base = await this.keys.verifyingFresh(token).catch(() => undefined);
    if (!base) {
      throw new UnauthorisedError('event-stream token signed with an unknown or retired secret');
    }
    let claims: { sub?: unknown; env?: unknown; kh?: unknown };
    try {
      claims = await this.jwt.verifyAsync(token, {
        secret: this.derive(base) as never,
        algorithms: ['HS256'],
        clockTolerance: 5,
      });
    } catch {
      throw new UnauthorisedError('invalid or expired event-stream token');
    }
    if (claims.sub !== PURPOSE || typeof claims.env !== 'string' || typeof claims.kh !== 'string') {
      throw new UnauthorisedError('not an event-stream token');
    }
    return { environment: claims.env, keyHash: claims.kh };
  }

  private derive(base: KeyObject): KeyObject {
    let key = this.derived.get(base);
    if (!key) {
      key = createSecretKey(createHmac('sha256', base).update(PURPOSE).digest());
      this.derived.set(base, key);
    }
    return key;
  }
}
