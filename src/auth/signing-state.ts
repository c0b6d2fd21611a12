import { MAX_GRACE_MS } from '../common/grace-period.js';
import { createSecretKey, type KeyObject } from 'node:crypto';
import type { SealedReading } from '../cache/sealed/sealed-slot.js';
import type { Stored } from '../cache/sealed/sealed-verdict.js';
import { fingerprint } from '../common/fingerprint.js';

export interface StoredSecret {
  secret: string;
  /** Unix ms after which tokens signed with it are refused; absent for the current one. */
  validUntil?: number;
}

/** What rests sealed in the cache: the secret new tokens are signed with, and the retiring ones. */
export interface StoredState {
  current: StoredSecret;
  previous: StoredSecret[];
}

export interface Loaded extends StoredSecret {
  key: KeyObject;
  fingerprint: string;
}

/** What the cache holds, for judging, and the state itself when a box opened and parsed. */
export function readState(sealed: SealedReading): { stored: Stored; state?: StoredState } {
  if (sealed.kind !== 'sealed') {
    return { stored: sealed };
  }
  const state = parseState(sealed.plaintext);
  return state
    ? {
        stored: {
          kind: 'sealed',
          epoch: sealed.epoch,
          fingerprint: fingerprint(state.current.secret),
        },
        state,
      }
    : { stored: { kind: 'unreadable' } };
}

/** The state in a box that opened, or undefined when it is not of our shape. */
function parseState(plaintext: string): StoredState | undefined {
  try {
    const state = JSON.parse(plaintext) as Partial<StoredState> | null;
    const valid =
      isSecret(state?.current) &&
      Array.isArray(state?.previous) &&
      // `null`: an end past what JSON can hold, written before grace periods were bounded.
      state.previous.every(
        (p) => isSecret(p) && (typeof p.validUntil === 'number' || p.validUntil === null),
      );
    return valid ? (state as StoredState) : undefined;
  } catch {
    return undefined;
  }
}

function isSecret(value: unknown): value is StoredSecret {
  const secret = (value as StoredSecret | undefined)?.secret;
  return typeof secret === 'string' && secret.length > 0;
}

export function load(stored: StoredSecret): Loaded {
  return {
    ...stored,
    validUntil: bounded(stored.validUntil),
    key: createSecretKey(Buffer.from(stored.secret)),
    fingerprint: fingerprint(stored.secret),
  };
}

/** The `kid` of a JWT's header, if it has one (the signature is checked after, with its key). */
export function kidOf(token: string): string | undefined {
  try {
    const header = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString()) as {
      kid?: unknown;
    };
    return typeof header.kid === 'string' ? header.kid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A stored end within the grace bound from now: a state written before grace periods were
 * bounded may hold one centuries away (or `null`, JSON's Infinity, which counts as ended), and
 * such a secret could then never be retired, nor its end shown as a date.
 */
function bounded(validUntil: number | null | undefined): number | undefined {
  if (validUntil === undefined) {
    return undefined;
  }
  return typeof validUntil === 'number' ? Math.min(validUntil, Date.now() + MAX_GRACE_MS) : 0;
}
