import { Inject, Injectable, Logger } from '@nestjs/common';
import { ProxyKeyVault } from '../cache/sealed/proxy-key-vault.js';
import {
  BadGatewayError,
  ChangeNotStoredError,
  ConflictError,
  UnprocessableError,
} from '../common/errors/proxy-error.js';
import { fingerprint } from '../common/fingerprint.js';
import { AppConfig } from '../config/app-config.js';
import { ProxyKey } from '../upstream/proxy-key.js';
import { missingAdminSettings, UpstreamAdminClient } from '../upstream/upstream-admin.client.js';
import { UpstreamClient } from '../upstream/upstream.client.js';
import type { AdminCall } from './admin-call.js';
import { requireGracePeriod } from './dto/grace-period.js';
import { ProxyKeyInUseDto, ProxyKeyRotatedDto } from './dto/proxy-key.dto.js';
import { KEY_AUTHORITY, type KeyAuthority } from './key-authority.js';

/**
 * Proxy-key changes with no restart: rotated through the Harness admin API, or set to a key made
 * elsewhere once Harness accepts it. The new key is sealed in the cache (it survives restarts)
 * and put in service, and the primary re-authenticates, reloads and reopens its stream with it.
 * One change at a time: two rotations in flight could otherwise put the older new key in
 * service after the newer one, and Harness retires the older one at the end of its grace.
 */
@Injectable()
export class ProxyKeyAdmin {
  private readonly logger = new Logger(ProxyKeyAdmin.name);
  private changing: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly config: AppConfig,
    @Inject(KEY_AUTHORITY) private readonly authority: KeyAuthority,
    private readonly proxyKey: ProxyKey,
    private readonly vault: ProxyKeyVault,
    private readonly upstream: UpstreamClient,
    private readonly admin: UpstreamAdminClient,
  ) {}

  rotate(gracePeriod: string, call: AdminCall): Promise<ProxyKeyRotatedDto> {
    return this.oneAtATime(() => this.rotateNow(gracePeriod, call));
  }

  replace(key: string, call: AdminCall): Promise<ProxyKeyInUseDto> {
    return this.oneAtATime(() => this.replaceNow(key, call));
  }

  private async rotateNow(gracePeriod: string, call: AdminCall): Promise<ProxyKeyRotatedDto> {
    const previous = this.requireKey();
    const graceMs = requireGracePeriod(gracePeriod);
    const missing = missingAdminSettings(this.config);
    if (missing.length > 0) {
      call.note({ missing });
      throw new ConflictError(`the Harness admin API is not configured: set ${missing.join(', ')}`);
    }
    call.note({ previous: fingerprint(previous), gracePeriod });
    let key: string;
    try {
      key = await this.admin.rotateProxyKey(gracePeriod);
    } catch (err) {
      call.note({ err });
      throw new BadGatewayError('the Harness admin API did not rotate the key: nothing changed');
    }
    // Harness has rotated: from here on nothing may fail the call, or the new key, which only
    // this answer shows, would be lost.
    const validUntil = Date.now() + graceMs;
    call.note({ current: fingerprint(key) });
    let sealed = true;
    try {
      await this.vault.save(key);
    } catch (err) {
      sealed = false;
      call.note({ err }, 'ok-not-sealed');
      this.logger.warn(
        { err, fingerprint: fingerprint(key) },
        'the new proxy key is in service but not sealed in the cache yet (tried again every 2 s): a restart before then would not find it; set it as PROXY_KEY',
      );
    }
    this.proxyKey.use(key, validUntil);
    return new ProxyKeyRotatedDto(
      key,
      fingerprint(key),
      new Date(validUntil).toISOString(),
      sealed,
    );
  }

  private async replaceNow(key: string, call: AdminCall): Promise<ProxyKeyInUseDto> {
    const previous = this.requireKey();
    call.note({ previous: fingerprint(previous), candidate: fingerprint(key) });
    let accepted: boolean;
    try {
      accepted = await this.upstream.acceptsProxyKey(key);
    } catch (err) {
      call.note({ err });
      throw new BadGatewayError('Harness could not check the key: nothing changed');
    }
    if (!accepted) {
      throw new UnprocessableError(
        'Harness refuses this proxy key: the current one stays in service',
      );
    }
    // Sealed first, so a restart right after comes up on the new key too; the caller still
    // holds the key, so a failed write is a plain "nothing changed".
    try {
      await this.vault.save(key);
    } catch (err) {
      call.note({ err });
      throw new ChangeNotStoredError('the new proxy key');
    }
    this.proxyKey.use(key);
    call.note({ current: fingerprint(key) });
    return new ProxyKeyInUseDto(fingerprint(key));
  }

  private oneAtATime<T>(change: () => Promise<T>): Promise<T> {
    const run = this.changing.then(() => this.proxyKey.whileChanging(change));
    this.changing = run.catch(() => undefined);
    return run;
  }

  /** Offline, PROXY_KEY may be set but nothing uses it: a new key would change nothing. */
  private requireKey(): string {
    if (this.authority === 'relay' || !this.proxyKey.value) {
      throw new ConflictError(
        'this instance runs offline: no proxy key is in service here, so there is nothing to change (rotate it on the primary)',
      );
    }
    return this.proxyKey.value;
  }
}
