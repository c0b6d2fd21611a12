import { Injectable, Logger } from '@nestjs/common';
import { StartupError } from '../../common/errors/startup-error.js';
import { fingerprint } from '../../common/fingerprint.js';
import { AppConfig } from '../../config/app-config.js';
import { ScheduledJobs } from '../../scheduling/scheduled-jobs.service.js';
import { CACHE_KEYS } from '../cache-keys.js';
import { CacheStore } from '../cache-store.js';
import { highestEpoch, SealedSlot } from './sealed-slot.js';
import { SealedStateReports } from './sealed-state-reports.service.js';
import { type Held, judge, type Verdict } from './sealed-verdict.js';

const STATE = 'proxy-key';
const CHECK_MS = 2_000;

/**
 * Where a rotated proxy key survives restarts: in the cache, sealed (AES-256-GCM) under the
 * configured PROXY_KEY, which the environment keeps naming after a rotation, with an epoch the
 * primary never goes back below (docs/sealed-state.md). Only a process that holds the old key
 * can open it, and that one could have rotated the key itself.
 */
@Injectable()
export class ProxyKeyVault {
  private readonly logger = new Logger(ProxyKeyVault.name);
  private readonly slot: SealedSlot;
  private readonly configured: string;
  /** The key this primary sealed or read, and its epoch; undefined while on PROXY_KEY. */
  private holding?: { key: string; epoch: number };
  private known = -1;
  private settled = false;
  /** The key in service was not sealed (the cache did not take it): written at the next check. */
  private unsealed = false;

  constructor(
    config: AppConfig,
    store: CacheStore,
    private readonly jobs: ScheduledJobs,
    private readonly reports: SealedStateReports,
  ) {
    this.configured = fingerprint(config.upstream.proxyKey);
    const keys = { sealed: CACHE_KEYS.proxyKey, marker: CACHE_KEYS.proxyKeyMarker };
    this.slot = new SealedSlot(store, STATE, keys, config.upstream.proxyKey);
  }

  /**
   * At boot: the rotated key to run on, or undefined for PROXY_KEY. Throws when the primary must
   * run on neither: the stored key is older than the one in service (rolled back), or gone,
   * while PROXY_KEY is not the key in service either. Harness may have revoked both.
   */
  async load(): Promise<string | undefined> {
    const { verdict, key } = await this.follow();
    if (verdict.action === 'conflict') {
      throw new StartupError(
        `the proxy key sealed in redis cannot be used: ${verdict.reason}. Set PROXY_KEY to the ` +
          `key in service, restore ${CACHE_KEYS.proxyKey}, or delete ${CACHE_KEYS.proxyKey} and ` +
          `${CACHE_KEYS.proxyKeyMarker} to run on PROXY_KEY (docs/sealed-state.md)`,
      );
    }
    return key;
  }

  /**
   * Seals `key` one epoch above every one seen: from now on the key in service, whether or not
   * the cache takes it (Harness has rotated already). A write that fails is tried again at every
   * check until it succeeds; until then a restart would not find the key.
   */
  async save(key: string): Promise<void> {
    const epoch = Math.max(this.known, this.holding?.epoch ?? 0) + 1;
    this.holding = { key, epoch };
    this.known = epoch;
    this.unsealed = true;
    await this.slot.write(key, epoch, fingerprint(key));
    if (this.holding.key === key) {
      this.unsealed = false;
    }
  }

  /**
   * While the primary runs: writes the key in service back when the cache lost it, holds a
   * damaged or older one, and follows a newer one (`adopt`).
   */
  watch(adopt: (key: string) => void): void {
    this.jobs.every(
      'proxy-key-seal',
      CHECK_MS,
      async () => {
        const { verdict, key } = await this.follow();
        if (verdict.action === 'adopt' && key !== undefined) {
          adopt(key);
        }
      },
      { maxJitterMs: 500 },
    );
  }

  private async follow(): Promise<{ verdict: Verdict; key?: string }> {
    if (this.unsealed && this.holding) {
      const { key, epoch } = this.holding;
      await this.slot.write(key, epoch, fingerprint(key));
      this.unsealed = this.holding.key !== key;
      this.logger.log({ fingerprint: fingerprint(key) }, 'the proxy key in service is sealed now');
    }
    const holding = this.holding;
    const reading = await this.slot.read();
    const sealed = reading.sealed;
    const stored =
      sealed.kind === 'sealed'
        ? { kind: sealed.kind, epoch: sealed.epoch, fingerprint: fingerprint(sealed.plaintext) }
        : sealed;
    this.known = Math.max(this.known, highestEpoch(reading));
    if ((!reading.changed && this.settled) || this.holding !== holding) {
      // Nothing new, or a key saved meanwhile: that one is judged at the next run.
      this.settled &&= this.holding === holding;
      return { verdict: { action: 'keep', writeMarker: false } };
    }
    this.settled = false;
    const held: Held | undefined = holding && {
      epoch: holding.epoch,
      fingerprint: fingerprint(holding.key),
    };
    const verdict = judge(stored, reading.marker, held, this.configured);
    this.reports.record(STATE, verdict, {
      ...(sealed.kind === 'sealed' ? { stored: sealed.epoch } : {}),
      ...(held ? { held: held.epoch } : {}),
    });
    let key: string | undefined;
    if (verdict.action === 'adopt' && sealed.kind === 'sealed') {
      key = sealed.plaintext;
      this.holding = { key, epoch: sealed.epoch };
      this.logger.log({ fingerprint: fingerprint(key) }, 'using the sealed proxy key');
    }
    if ((verdict.action === 'adopt' || verdict.action === 'keep') && verdict.writeMarker) {
      const inService = this.holding;
      await this.slot.writeMarker(
        inService?.epoch ?? 0,
        inService ? fingerprint(inService.key) : this.configured,
      );
    }
    if (verdict.action === 'reseal' && holding) {
      await this.slot.write(holding.key, holding.epoch, fingerprint(holding.key));
    }
    this.settled = true;
    return { verdict, key };
  }
}
