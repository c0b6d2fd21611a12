import { type KeyObject, randomBytes } from 'node:crypto';
import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { CACHE_KEYS } from '../cache/cache-keys.js';
import { CacheStore } from '../cache/cache-store.js';
import { FleetCounts } from '../cache/streams/fleet-counts.js';
import { highestEpoch, SealedSlot } from '../cache/sealed/sealed-slot.js';
import { SealedStateReports } from '../cache/sealed/sealed-state-reports.service.js';
import { type Held, judge } from '../cache/sealed/sealed-verdict.js';
import { BadRequestError, CacheUnavailableError } from '../common/errors/proxy-error.js';
import { MAX_GRACE_MS } from '../common/grace-period.js';
import { AppConfig } from '../config/app-config.js';
import { ScheduledJobs } from '../scheduling/scheduled-jobs.service.js';
import { FreshReads } from './fresh-reads.js';
import { PreviousSecretUses } from './previous-secret-uses.js';
import { SecretRetirement } from './secret-retirement.js';
import { SecretRing } from './secret-ring.js';
import { kidOf, load, readState, type StoredState } from './signing-state.js';

/** Instances pick up a rotation made on another one this fast (the issue asks for 5 s). */
const REFRESH_MS = 2_000;
const STATE = 'auth-secrets';
/** Rotations that lost the compare-and-set to another instance are retried this often. */
const ROTATE_ATTEMPTS = 10;
/**
 * How stale this instance's view may be when it signs a token or meets a `kid` it does not
 * know: SDKs never re-authenticate, so a token signed with a secret retired a moment ago on
 * another instance, or refused because the rotation has not reached this one yet, breaks an
 * SDK until it restarts.
 */
const FRESH_MS = 250;

export interface SigningKeysView {
  fingerprint: string;
  /** With each one's SDK requests in the last 5 minutes, counted on every instance. */
  previous: { fingerprint: string; validUntil: string; uses: number }[];
  /** SDK requests authenticated with a previous secret in the last 5 minutes, on every instance. */
  previousSecretUses: number;
}

/**
 * The secrets SDK tokens are signed and verified with. At first the configured AUTH_SECRET; after
 * a rotation a random one, with the previous ones still verifying until their grace period ends.
 * Tokens carry the fingerprint of their secret as `kid` (none for the configured one, as before),
 * so verification never has to try several keys. The state rests in the cache sealed under the
 * configured secret, which every instance shares, with an epoch no instance goes back below: all
 * of them follow a rotation within 2 s and keep it across restarts, write it back when the cache
 * loses or rolls it back, and refuse to serve rather than split from the others when they cannot
 * follow it (docs/sealed-state.md). Redis alone reveals no secret.
 */
@Injectable()
export class SigningKeys implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(SigningKeys.name);
  private readonly ring: SecretRing;
  /** The sealed state this instance runs on; undefined while on the configured secret. */
  private held?: Held;
  /** The highest epoch seen in the cache, a rotation's next one is above it. */
  private known = -1;
  private settled = false;
  private readonly slot: SealedSlot;
  private readonly uses: PreviousSecretUses;
  private readonly retirement: SecretRetirement;
  /** The rotation under way in this process: the next one starts from its result. */
  private rotating: Promise<unknown> = Promise.resolve();
  /** Re-reads of the sealed state, bounded whatever asks (signing, unknown kids). */
  private readonly reads: FreshReads;

  constructor(
    config: AppConfig,
    store: CacheStore,
    counts: FleetCounts,
    private readonly jobs: ScheduledJobs,
    private readonly reports: SealedStateReports,
  ) {
    this.ring = new SecretRing(config.auth.secret);
    this.retirement = new SecretRetirement(this.ring.configured.fingerprint, () => this.ring.all);
    const keys = { sealed: CACHE_KEYS.authSecrets, marker: CACHE_KEYS.authSecretsMarker };
    this.slot = new SealedSlot(store, STATE, keys, config.auth.secret);
    this.uses = new PreviousSecretUses(counts);
    this.reads = new FreshReads(
      () => this.refresh(),
      FRESH_MS,
      (err) =>
        this.logger.debug({ err }, 'could not re-read the token secrets: using what is held'),
    );
  }

  async onModuleInit(): Promise<void> {
    await this.refresh().catch((err: unknown) => {
      this.logger.warn({ err }, 'could not read rotated token secrets: using AUTH_SECRET for now');
    });
    this.jobs.every('signing-keys-refresh', REFRESH_MS, () => this.tick(), { maxJitterMs: 500 });
  }

  onApplicationShutdown(): void {
    this.retirement.stop();
  }

  /** The key new tokens are signed with, and the `kid` that names it (none for AUTH_SECRET). */
  signing(): { key: KeyObject; kid?: string } {
    return this.ring.signing();
  }

  /** The key `token` must verify with, by its `kid`; undefined for an unknown or expired one. */
  verifying(token: string): KeyObject | undefined {
    const { key, previous } = this.ring.verifying(token);
    if (previous !== undefined) {
      this.uses.add(previous);
    }
    return key;
  }

  /**
   * As {@link verifying}, but a token naming a secret this instance does not hold (signed by an
   * instance that rotated a moment ago) is checked again once the sealed state was re-read.
   */
  async verifyingFresh(token: string): Promise<KeyObject | undefined> {
    const key = this.verifying(token);
    const kid = kidOf(token);
    if (key !== undefined || kid === undefined || this.ring.holds(kid)) {
      return key;
    }
    // A re-read that started after this token arrived: one made a moment earlier (within
    // FRESH_MS) may predate the rotation that made the token's secret.
    await this.reads.since(Date.now());
    if (!this.ring.holds(kid) && this.reads.lastFailed) {
      // The cache could not say: an SDK told 401 would take its token as bad for good.
      throw new CacheUnavailableError();
    }
    return this.verifying(token);
  }

  /** As {@link signing}, from a view at most {@link FRESH_MS} old (or as it is, Redis away). */
  async signingFresh(): Promise<{ key: KeyObject; kid?: string }> {
    await this.reads.freshen();
    return this.signing();
  }

  /** The fingerprint of the secret a token claims to be signed with (its `kid`). */
  secretOf(token: string): string {
    return this.ring.secretOf(token);
  }

  /** Calls `listener` with the secrets no longer accepted (a 0s rotation, a grace that ended). */
  onRetired(listener: (fingerprints: string[]) => void): () => void {
    return this.retirement.onRetired(listener);
  }

  view(): SigningKeysView {
    return {
      fingerprint: this.ring.current.fingerprint,
      previous: this.ring.live().map((p) => ({
        fingerprint: p.fingerprint,
        validUntil: new Date(p.validUntil ?? 0).toISOString(),
        uses: this.uses.of(p.fingerprint),
      })),
      previousSecretUses: this.uses.total(),
    };
  }

  /**
   * A new random secret for new tokens at once; tokens of the current one stay valid for
   * `graceMs` (0 refuses them at once), earlier ones keep their own end. Written before it is
   * used, so a failed write changes nothing. Starts from the newest stored state, one epoch
   * above every one seen. Rotations are serialised, so none is lost: one at a time in this
   * process, and across instances by a compare-and-set over the sealed value it started from (a
   * rotation that lost to another one starts again from the winner's).
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
    for (let attempt = 1; ; attempt += 1) {
      await this.refresh();
      // The new state is built on the very value the compare-and-set expects: a rotation another
      // instance stored since the refresh is taken over first, or it would be overwritten.
      const reading = await this.slot.read();
      const expected = reading.raw;
      const { stored, state: latest } = readState(reading.sealed);
      if (latest && stored.kind === 'sealed' && stored.epoch > (this.held?.epoch ?? -1)) {
        this.apply(latest, stored.epoch);
      }
      const now = Date.now();
      const retiring = { secret: this.ring.current.secret, validUntil: now + graceMs };
      const state: StoredState = {
        current: { secret: randomBytes(32).toString('hex') },
        previous: [retiring, ...this.ring.live(now)].filter((p) => (p.validUntil ?? 0) > now),
      };
      const epoch = Math.max(this.known, this.held?.epoch ?? 0) + 1;
      const loaded = load(state.current);
      if (
        await this.slot.writeIfUnchanged(expected, JSON.stringify(state), epoch, loaded.fingerprint)
      ) {
        this.apply(state, epoch);
        return {
          fingerprint: this.ring.current.fingerprint,
          previousValidUntil: new Date(retiring.validUntil).toISOString(),
        };
      }
      if (attempt === ROTATE_ATTEMPTS) {
        throw new Error(`lost the compare-and-set ${ROTATE_ATTEMPTS} times in a row`);
      }
    }
  }

  private async tick(): Promise<void> {
    await this.refresh();
    this.retirement.check();
    await this.uses.sync(this.ring.live().length > 0);
  }

  /** Reads the sealed state and does what the verdict says; nothing when neither key changed. */
  private async refresh(): Promise<void> {
    const held = this.held;
    const reading = await this.slot.read();
    if (!reading.changed && this.settled) {
      return;
    }
    this.settled = false;
    if (this.held !== held) {
      // A rotation in this process wrote a newer state meanwhile: judge it at the next run.
      return;
    }
    const { stored, state } = readState(reading.sealed);
    this.known = Math.max(this.known, highestEpoch(reading));
    const verdict = judge(stored, reading.marker, held, this.ring.configured.fingerprint);
    this.reports.record(STATE, verdict, {
      ...(stored.kind === 'sealed' ? { stored: stored.epoch } : {}),
      ...(held ? { held: held.epoch } : {}),
    });
    if (verdict.action === 'adopt' && state && stored.kind === 'sealed') {
      this.apply(state, stored.epoch);
      this.logger.log({ fingerprint: this.ring.current.fingerprint }, 'token secrets updated');
    }
    if ((verdict.action === 'adopt' || verdict.action === 'keep') && verdict.writeMarker) {
      await this.slot.writeMarker(this.held?.epoch ?? 0, this.ring.current.fingerprint);
    }
    if (verdict.action === 'reseal' && held) {
      await this.slot.write(JSON.stringify(this.ring.stored()), held.epoch, held.fingerprint);
    }
    this.settled = true;
  }

  private apply(state: StoredState, epoch: number): void {
    this.ring.apply(state);
    this.held = { epoch, fingerprint: this.ring.current.fingerprint };
    this.known = Math.max(this.known, epoch);
    this.retirement.check();
  }
}
