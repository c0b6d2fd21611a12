import type { KeyObject } from 'node:crypto';
import { kidOf, load, type Loaded, type StoredState } from './signing-state.js';

/** The header jsonwebtoken writes for an HS256 token with no `kid`, and the dot after it. */
const PLAIN_HEADER = `${Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url')}.`;

/**
 * The SDK-token secrets in service, with no I/O: the one new tokens are signed with, and the
 * previous ones that still verify until their grace period ends. Tokens name their secret by its
 * fingerprint (`kid`; none for the configured AUTH_SECRET), so a token is checked against one key.
 */
export class SecretRing {
  readonly configured: Loaded;
  private currentSecret: Loaded;
  private previousSecrets: Loaded[] = [];

  constructor(configuredSecret: string) {
    this.configured = load({ secret: configuredSecret });
    this.currentSecret = this.configured;
  }

  get current(): Loaded {
    return this.currentSecret;
  }

  /** Every secret held, the retired ones included until they are dropped. */
  get all(): Loaded[] {
    return [this.currentSecret, ...this.previousSecrets];
  }

  /** The key new tokens are signed with, and the `kid` that names it (none for AUTH_SECRET). */
  signing(): { key: KeyObject; kid?: string } {
    const current = this.currentSecret;
    return current === this.configured
      ? { key: current.key }
      : { key: current.key, kid: current.fingerprint };
  }

  /**
   * The key `token` must verify with, by its `kid`, and the fingerprint when it is a previous
   * secret's; no key for an unknown or expired one.
   */
  verifying(token: string, now = Date.now()): { key?: KeyObject; previous?: string } {
    const wanted = this.secretOf(token);
    if (wanted === this.currentSecret.fingerprint) {
      return { key: this.currentSecret.key };
    }
    const previous = this.live(now).find((p) => p.fingerprint === wanted);
    return previous ? { key: previous.key, previous: previous.fingerprint } : {};
  }

  holds(kid: string): boolean {
    return this.all.some((secret) => secret.fingerprint === kid);
  }

  /**
   * The fingerprint of the secret a token claims to be signed with (its `kid`). The header of a
   * token signed with AUTH_SECRET is always the same text, so the common case decodes nothing.
   * A token naming a `kid` is never checked against AUTH_SECRET, even before any rotation here:
   * it comes from an instance that rotated a moment ago, and must wait for the re-read.
   */
  secretOf(token: string): string {
    if (token.startsWith(PLAIN_HEADER)) {
      return this.configured.fingerprint;
    }
    return kidOf(token) ?? this.configured.fingerprint;
  }

  /** The previous secrets whose grace period has not ended. */
  live(now = Date.now()): Loaded[] {
    return this.previousSecrets.filter((p) => (p.validUntil ?? 0) > now);
  }

  /** Takes a stored state into service. */
  apply(state: StoredState): void {
    this.currentSecret = load(state.current);
    this.previousSecrets = state.previous.map(load);
  }

  /** What is in service, as it is stored (the retired secrets left out). */
  stored(): StoredState {
    return {
      current: { secret: this.currentSecret.secret },
      previous: this.live().map(({ secret, validUntil }) => ({ secret, validUntil })),
    };
  }
}
