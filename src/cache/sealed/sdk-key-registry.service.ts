import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { NotFoundError } from '../../common/errors/proxy-error.js';
import { StartupError } from '../../common/errors/startup-error.js';
import { runAt } from '../../common/run-at.js';
import { CACHE_KEYS, sha256Hex } from '../cache-keys.js';
import { CacheStore } from '../cache-store.js';
import { ConfigWriter } from '../config-writer.service.js';
import { MemoryMirror, type MemoryView } from '../memory-mirror.js';

export type SdkKeyKind = 'server' | 'client';
/** Told the hash of a key once its removal took effect. */
export type KeyRemoved = (keyHash: string) => void;

interface Ledger {
  created: { hash: string; environment: string; kind: SdkKeyKind }[];
  removed: { hash: string; environment: string; at: number }[];
}

/**
 * SDK keys an operator manages on an offline relay, which is then the authority for them: keys
 * created on top of CONFIG_DIR, and keys removed at the end of a grace period. Kept as a ledger
 * of hashes (never a key) in the cache, re-applied after every load of the directory, so both
 * survive restarts. Removing a key makes lookups fail; whoever scheduled the removal is told
 * when it happened (`onRemoved`), to end the streams opened with the key.
 */
@Injectable()
export class SdkKeyRegistry implements OnApplicationShutdown {
  private readonly logger = new Logger(SdkKeyRegistry.name);
  private ledger: Ledger | undefined;
  /** Cancels of the removals scheduled. */
  private readonly timers = new Set<() => void>();

  constructor(
    private readonly store: CacheStore,
    private readonly writer: ConfigWriter,
    @Inject(MemoryMirror) private readonly mirror: MemoryView,
  ) {}

  async create(environment: string, kind: SdkKeyKind): Promise<{ key: string; hash: string }> {
    this.requireEnvironment(environment);
    const key = randomUUID();
    const hash = sha256Hex(key);
    const ledger = await this.load();
    ledger.created.push({ hash, environment, kind });
    await this.save(ledger);
    await this.writer.addApiKey(environment, hash);
    return { key, hash };
  }

  /**
   * Schedules the end of the key with this fingerprint and returns its hash; a fingerprint that
   * names no key of the environment is a NotFoundError (404).
   */
  async remove(
    environment: string,
    fingerprint: string,
    graceMs: number,
    onRemoved: KeyRemoved,
  ): Promise<string> {
    const hash = this.requireEnvironment(environment).apiKeys.find((h) =>
      h.startsWith(fingerprint),
    );
    if (!hash || fingerprint.length !== 12) {
      throw new NotFoundError(`SDK key ${fingerprint} in environment ${environment}`);
    }
    const at = Date.now() + graceMs;
    const ledger = await this.load();
    ledger.removed.push({ hash, environment, at });
    await this.save(ledger);
    this.schedule(hash, at, onRemoved);
    return hash;
  }

  /** After CONFIG_DIR was (re)loaded: the keys created since, and the removals, again. */
  async restore(onRemoved: KeyRemoved): Promise<void> {
    const ledger = await this.load();
    for (const { hash, environment } of ledger.created) {
      await this.writer.addApiKey(environment, hash);
    }
    // Removals already due are applied before SDK routes open, so a removed key never works
    // again, not even for a moment after a restart; the others are scheduled.
    const now = Date.now();
    const due = ledger.removed.filter(({ at }) => at <= now).map(({ hash }) => hash);
    await this.writer.deleteKeys(due.map(CACHE_KEYS.authKey));
    ledger.removed
      .filter(({ at }) => at > now)
      .forEach(({ hash, at }) => this.schedule(hash, at, onRemoved));
    await this.save(ledger);
  }

  onApplicationShutdown(): void {
    this.timers.forEach((cancel) => cancel());
  }

  private schedule(hash: string, at: number, onRemoved: KeyRemoved): void {
    // A grace period may exceed setTimeout's 596 h limit, past which it would fire at once.
    const cancel = runAt(at, () => {
      this.timers.delete(cancel);
      this.writer.deleteKeys([CACHE_KEYS.authKey(hash)]).then(
        () => {
          this.logger.log({ fingerprint: hash.slice(0, 12) }, 'sdk key removed');
          onRemoved(hash);
        },
        (err: unknown) =>
          this.logger.warn({ err }, 'could not remove an sdk key: retried at restart'),
      );
    });
    this.timers.add(cancel);
  }

  private requireEnvironment(environment: string) {
    const served = this.mirror.servedEnvironments().find((env) => env.id === environment);
    if (!served) {
      throw new NotFoundError(`environment ${environment}`);
    }
    return served;
  }

  /**
   * Read once, at the first load of CONFIG_DIR. A ledger that is not ours stops the boot:
   * serving without it would bring back the keys an operator removed and drop the ones they
   * created, and this relay is their only authority.
   */
  private async load(): Promise<Ledger> {
    if (!this.ledger) {
      const raw = await this.store.get(CACHE_KEYS.sdkKeyLedger).catch((err: unknown) => {
        if (err instanceof Error && err.message.startsWith('WRONGTYPE')) {
          return '';
        }
        throw err;
      });
      const ledger = raw === null ? { created: [], removed: [] } : parseLedger(raw);
      if (!ledger) {
        throw new StartupError(
          `the SDK-key ledger in redis (${CACHE_KEYS.sdkKeyLedger}) is malformed: restore it, or ` +
            `delete it to serve CONFIG_DIR alone (keys created through the Admin API are then ` +
            `lost and removed ones come back)`,
        );
      }
      this.ledger = ledger;
    }
    return this.ledger;
  }

  private async save(ledger: Ledger): Promise<void> {
    await this.store.set([[CACHE_KEYS.sdkKeyLedger, JSON.stringify(ledger)]]);
  }
}

const HASH = /^[0-9a-f]{64}$/;

/** The ledger, or undefined when the text is not one (every entry is checked). */
function parseLedger(raw: string): Ledger | undefined {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  const { created, removed } = (value ?? {}) as Partial<Record<keyof Ledger, unknown>>;
  const valid =
    Array.isArray(created) &&
    Array.isArray(removed) &&
    created.every(
      (c: Partial<Ledger['created'][number]> | null) =>
        HASH.test(String(c?.hash)) &&
        typeof c?.environment === 'string' &&
        (c.kind === 'server' || c.kind === 'client'),
    ) &&
    removed.every(
      (r: Partial<Ledger['removed'][number]> | null) =>
        HASH.test(String(r?.hash)) && typeof r?.environment === 'string' && Number.isFinite(r.at),
    );
  return valid ? (value as Ledger) : undefined;
}
