import type { SdkPrincipal } from './sdk-token.js';

/** How long a verified token skips signature checks; the key and secret are still checked. */
export const VERIFIED_TTL_MS = 60_000;
/** Bounds memory: ~10,000 SDK connections per instance is a big deployment. */
export const VERIFIED_MAX_ENTRIES = 10_000;

interface Entry {
  principal: SdkPrincipal;
  until: number;
}

/**
 * SDKs send the same token on every request for their whole life, so its HS256 signature, `nbf`
 * and claims need checking once, not on every poll: this remembers tokens that verified, for a
 * minute. Only the signature is skipped: the guard still asks, per request, whether the secret
 * that signed it is still accepted and whether its SDK key still exists, so a rotation's end or a
 * removed key stops a remembered token as fast as a new one. A token that failed is never kept.
 */
export class VerifiedTokens {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs = VERIFIED_TTL_MS,
    private readonly maxEntries = VERIFIED_MAX_ENTRIES,
  ) {}

  get(token: string, now = Date.now()): SdkPrincipal | undefined {
    const entry = this.entries.get(token);
    if (entry === undefined) {
      return undefined;
    }
    if (entry.until <= now) {
      this.entries.delete(token);
      return undefined;
    }
    return entry.principal;
  }

  remember(token: string, principal: SdkPrincipal, now = Date.now()): void {
    const expiry = expiryOf(token);
    const until = Math.min(now + this.ttlMs, expiry ?? Number.POSITIVE_INFINITY);
    if (until <= now) {
      return;
    }
    if (this.entries.size >= this.maxEntries && !this.entries.has(token)) {
      // Map iterates in insertion order: drop the oldest.
      const oldest = this.entries.keys().next();
      if (!oldest.done) {
        this.entries.delete(oldest.value);
      }
    }
    this.entries.set(token, { principal, until });
  }

  forget(token: string): void {
    this.entries.delete(token);
  }

  get size(): number {
    return this.entries.size;
  }
}

/** The `exp` claim in ms (ff-relay's tokens have none, like Harness'); undefined without one. */
function expiryOf(token: string): number | undefined {
  try {
    const payload = JSON.parse(
      Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'),
    ) as { exp?: unknown };
    return typeof payload.exp === 'number' ? payload.exp * 1000 : undefined;
  } catch {
    return 0;
  }
}

/** The token of an `Authorization: Bearer …` header, as passport-jwt extracts it. */
export function bearerToken(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string') {
    return undefined;
  }
  const match = /^(\S+)\s+(\S+)$/.exec(header);
  return match && match[1]?.toLowerCase() === 'bearer' ? match[2] : undefined;
}
