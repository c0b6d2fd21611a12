import { createSecretKey, type KeyObject, randomBytes } from 'node:crypto';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { CACHE_KEYS } from '../cache/cache-keys.js';
import { CacheStore } from '../cache/cache-store.js';
import { BadRequestError } from '../common/errors/proxy-error.js';
import { fingerprint } from '../common/fingerprint.js';
import { MAX_GRACE_MS } from '../common/grace-period.js';
import { AppConfig } from '../config/app-config.js';
import { ScheduledJobs } from '../scheduling/scheduled-jobs.service.js';
import { open, seal } from '../common/sealed-box.js';
import { SlidingCount } from '../common/sliding-count.js';

/** Instances pick up a rotation made on another one this fast (the issue asks for 5 s). */
const REFRESH_MS = 2_000;
const USE_WINDOW_MS = 5 * 60_000;
/** Rotations that lost the compare-and-set to another instance are retried this often. */
const ROTATE_ATTEMPTS = 10;

interface StoredSecret {
  secret: string;
  /** Unix ms after which tokens signed with it are refused; absent for the current one. */
  validUntil?: number;
}

interface StoredState {
  current: StoredSecret;
  previous: StoredSecret[];
}

interface Loaded extends StoredSecret {
  key: KeyObject;
  fingerprint: string;
}

export interface SigningKeysView {
  fingerprint: string;
  previous: { fingerprint: string; validUntil: string }[];
  /** SDK requests authenticated with a previous secret's token in the last 5 minutes. */
  previousSecretUses: number;
}

/**
 * The secrets SDK tokens are signed and verified with. At first the configured AUTH_SECRET; after
 * a rotation a random one, with the previous ones still verifying until their grace period ends.
 * Tokens carry the fingerprint of their secret as `kid` (none for the configured one, as before),
 * so verification never has to try several keys. The state rests in Redis sealed under the
 * configured secret, which every instance shares: all of them follow a rotation within 2 s and
 * keep it across restarts, and Redis alone reveals no secret.
 */
@Injectable()
export class SigningKeys implements OnModuleInit {
  private readonly logger = new Logger(SigningKeys.name);
  private readonly configured: Loaded;
  private current: Loaded;
  private previous: Loaded[] = [];
  private sealedSeen: string | null = null;
  /** Verifications with a previous secret: counted on the request path, in constant memory. */
  private readonly uses = new SlidingCount(USE_WINDOW_MS / 1000);
  /** The rotation under way in this process: the next one starts from its result. */
  private rotating: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly config: AppConfig,
    private readonly store: CacheStore,
    private readonly jobs: ScheduledJobs,
  ) {
    this.configured = load({ secret: config.auth.secret });
    this.current = this.configured;
  }

  async onModuleInit(): Promise<void> {
    await this.refresh().catch((err: unknown) => {
      this.logger.warn({ err }, 'could not read rotated token secrets: using AUTH_SECRET for now');
    });
    this.jobs.every('signing-keys-refresh', REFRESH_MS, () => this.refresh(), {
      maxJitterMs: 500,
    });
  }

  /** The key new tokens are signed with, and the `kid` that names it (none for AUTH_SECRET). */
  signing(): { key: KeyObject; kid?: string } {
    const current = this.current;
    return current === this.configured
      ? { key: current.key }
      : { key: current.key, kid: current.fingerprint };
  }

  /**
   * The key `token` must verify with, by its `kid`; undefined for an unknown or expired one.
   * Until a rotation there is one key and no header to read (the common case, on every request).
   */
  verifying(token: string): KeyObject | undefined {
    if (this.current === this.configured && this.previous.length === 0) {
      return this.current.key;
    }
    const wanted = kidOf(token) ?? this.configured.fingerprint;
    if (wanted === this.current.fingerprint) {
      return this.current.key;
    }
    const now = Date.now();
    const previous = this.previous.find(
      (p) => p.fingerprint === wanted && (p.validUntil ?? 0) > now,
    );
    if (previous) {
      this.uses.add(now);
    }
    return previous?.key;
  }

  view(): SigningKeysView {
    return {
      fingerprint: this.current.fingerprint,
      previous: this.live().map((p) => ({
        fingerprint: p.fingerprint,
        validUntil: new Date(p.validUntil ?? 0).toISOString(),
      })),
      previousSecretUses: this.uses.total(),
    };
  }

  /**
   * A new random secret for new tokens at once; tokens of the current one stay valid for
   * `graceMs` (0 refuses them at once), earlier ones keep their own end. Written before it is
   * used, so a failed write changes nothing. Rotations are serialised, so none is lost: one at a
   * time in this process, and across instances sharing the store by a compare-and-set over the
   * state it started from (a rotation that lost to another one starts again from the winner's).
   */
  rotate(graceMs: number): Promise<{ fingerprint: string; previousValidUntil: string }> {
    if (!Number.isInteger(graceMs) || graceMs < 0 || graceMs > MAX_GRACE_MS) {
      return Promise.reject(new BadRequestError('gracePeriod is out of range'));
    }
    const run = this.rotating.then(() => this.rotateOnce(graceMs));
    this.rotating = run.catch(() => undefined);
    return run;
  }

  private async rotateOnce(
    graceMs: number,
  ): Promise<{ fingerprint: string; previousValidUntil: string }> {
    for (let attempt = 1; ; attempt++) {
      const stored = await this.store.get(CACHE_KEYS.authSecrets);
      this.adopt(stored);
      const now = Date.now();
      const retiring = { secret: this.current.secret, validUntil: now + graceMs };
      const state: StoredState = {
        current: { secret: randomBytes(32).toString('hex') },
        previous: [retiring, ...this.live()].filter((p) => (p.validUntil ?? 0) > now),
      };
      const sealed = seal(JSON.stringify(state), this.config.auth.secret);
      if (await this.store.compareAndSet(CACHE_KEYS.authSecrets, stored, sealed)) {
        this.apply(state, sealed);
        return {
          fingerprint: this.current.fingerprint,
          previousValidUntil: new Date(retiring.validUntil).toISOString(),
        };
      }
      if (attempt === ROTATE_ATTEMPTS) {
        throw new Error(`lost the compare-and-set ${ROTATE_ATTEMPTS} times in a row`);
      }
    }
  }

  private live(): Loaded[] {
    const now = Date.now();
    return this.previous.filter((p) => (p.validUntil ?? 0) > now);
  }

  private async refresh(): Promise<void> {
    this.adopt(await this.store.get(CACHE_KEYS.authSecrets));
  }

  /** Takes over the stored state when it changed (and opens with this AUTH_SECRET). */
  private adopt(sealed: string | null): void {
    if (sealed === null || sealed === this.sealedSeen) {
      return;
    }
    const plain = open(sealed, this.config.auth.secret);
    if (plain === undefined) {
      this.sealedSeen = sealed;
      this.logger.error('stored token secrets were not sealed with this AUTH_SECRET: ignored');
      return;
    }
    this.apply(JSON.parse(plain) as StoredState, sealed);
    this.logger.log({ fingerprint: this.current.fingerprint }, 'token secrets updated');
  }

  private apply(state: StoredState, sealed: string): void {
    this.current = load(state.current);
    this.previous = state.previous.map(load);
    this.sealedSeen = sealed;
  }
}

function load(stored: StoredSecret): Loaded {
  return {
    ...stored,
    validUntil: bounded(stored.validUntil),
    key: createSecretKey(Buffer.from(stored.secret)),
    fingerprint: fingerprint(stored.secret),
  };
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

/** The `kid` of a JWT's header, if it has one (the signature is checked after, with its key). */
function kidOf(token: string): string | undefined {
  try {
    const header = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString()) as {
      kid?: unknown;
    };
    return typeof header.kid === 'string' ? header.kid : undefined;
  } catch {
    return undefined;
  }
}
