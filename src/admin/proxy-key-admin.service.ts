import { Injectable } from '@nestjs/common';
import { ProxyKeyVault } from '../cache/proxy-key-vault.js';
import {
  BadGatewayError,
  ConflictError,
  UnprocessableError,
} from '../common/errors/proxy-error.js';
import { fingerprint } from '../common/fingerprint.js';
import { AppConfig } from '../config/app-config.js';
import { parseGoDuration } from '../config/go-duration.js';
import { ProxyKey } from '../upstream/proxy-key.js';
import { missingAdminSettings, UpstreamAdminClient } from '../upstream/upstream-admin.client.js';
import { UpstreamClient } from '../upstream/upstream.client.js';
import { AdminAudit, type AdminCaller } from './admin-audit.js';
import { ProxyKeyInUseDto, ProxyKeyRotatedDto } from './dto/proxy-key.dto.js';

/**
 * Proxy-key changes with no restart: rotated through the Harness admin API, or set to a key made
 * elsewhere once Harness accepts it. The new key is sealed in the cache (it survives restarts)
 * and put in service, and the primary re-authenticates, reloads and reopens its stream with it.
 */
@Injectable()
export class ProxyKeyAdmin {
  constructor(
    private readonly config: AppConfig,
    private readonly proxyKey: ProxyKey,
    private readonly vault: ProxyKeyVault,
    private readonly upstream: UpstreamClient,
    private readonly admin: UpstreamAdminClient,
    private readonly audit: AdminAudit,
  ) {}

  async rotate(gracePeriod: string, caller: AdminCaller): Promise<ProxyKeyRotatedDto> {
    const previous = this.requireKey();
    const missing = missingAdminSettings(this.config);
    if (missing.length > 0) {
      this.audit.record('rotate-proxy-key', 'refused', caller, { missing });
      throw new ConflictError(`the Harness admin API is not configured: set ${missing.join(', ')}`);
    }
    let key: string;
    try {
      key = await this.admin.rotateProxyKey(gracePeriod);
    } catch (err) {
      this.audit.record('rotate-proxy-key', 'upstream-failed', caller, { err });
      throw new BadGatewayError('the Harness admin API did not rotate the key: nothing changed');
    }
    const validUntil = Date.now() + (parseGoDuration(gracePeriod) ?? 0);
    await this.switchTo(key, validUntil);
    this.audit.record('rotate-proxy-key', 'ok', caller, {
      previous: fingerprint(previous),
      current: fingerprint(key),
      gracePeriod,
    });
    return new ProxyKeyRotatedDto(key, fingerprint(key), new Date(validUntil).toISOString());
  }

  async replace(key: string, caller: AdminCaller): Promise<ProxyKeyInUseDto> {
    const previous = this.requireKey();
    let accepted: boolean;
    try {
      accepted = await this.upstream.acceptsProxyKey(key);
    } catch (err) {
      this.audit.record('set-proxy-key', 'upstream-failed', caller, { err });
      throw new BadGatewayError('Harness could not check the key: nothing changed');
    }
    if (!accepted) {
      this.audit.record('set-proxy-key', 'refused', caller, { candidate: fingerprint(key) });
      throw new UnprocessableError(
        'Harness refuses this proxy key: the current one stays in service',
      );
    }
    await this.switchTo(key);
    this.audit.record('set-proxy-key', 'ok', caller, {
      previous: fingerprint(previous),
      current: fingerprint(key),
    });
    return new ProxyKeyInUseDto(fingerprint(key));
  }

  /** Sealed first, so a restart right after comes up on the new key too. */
  private async switchTo(key: string, previousValidUntil?: number): Promise<void> {
    await this.vault.save(key);
    this.proxyKey.use(key, previousValidUntil);
  }

  private requireKey(): string {
    if (!this.proxyKey.value) {
      throw new ConflictError('this instance has no proxy key (offline mode): nothing to change');
    }
    return this.proxyKey.value;
  }
}
