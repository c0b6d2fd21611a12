import { Injectable } from '@nestjs/common';
import { SdkKeyRegistry, type SdkKeyKind } from '../cache/sdk-key-registry.service.js';
import { ConflictError } from '../common/errors/proxy-error.js';
import { parseGoDuration } from '../config/go-duration.js';
import { ProxyKey } from '../upstream/proxy-key.js';
import { AdminAudit, type AdminCaller } from './admin-audit.js';
import { SdkKeyCreatedDto } from './dto/sdk-keys.dto.js';

/**
 * SDK keys made and ended by an operator, where the relay is their authority: offline. With a
 * proxy key (primary) they are managed upstream, in Harness: 409.
 */
@Injectable()
export class SdkKeysAdmin {
  constructor(
    private readonly proxyKey: ProxyKey,
    private readonly registry: SdkKeyRegistry,
    private readonly audit: AdminAudit,
  ) {}

  async create(
    environment: string,
    kind: SdkKeyKind,
    caller: AdminCaller,
  ): Promise<SdkKeyCreatedDto> {
    this.requireOffline('create-sdk-key', caller);
    const { key, hash } = await this.registry.create(environment, kind);
    this.audit.record('create-sdk-key', 'ok', caller, {
      environment,
      kind,
      fingerprint: hash.slice(0, 12),
    });
    return new SdkKeyCreatedDto(key, hash.slice(0, 12));
  }

  async remove(
    environment: string,
    fingerprint: string,
    gracePeriod: string,
    caller: AdminCaller,
  ): Promise<void> {
    this.requireOffline('remove-sdk-key', caller);
    await this.registry.remove(environment, fingerprint, parseGoDuration(gracePeriod) ?? 0);
    this.audit.record('remove-sdk-key', 'ok', caller, { environment, fingerprint, gracePeriod });
  }

  private requireOffline(action: string, caller: AdminCaller): void {
    if (this.proxyKey.value) {
      this.audit.record(action, 'refused', caller, { reason: 'primary' });
      throw new ConflictError('SDK keys of a primary are managed in Harness, not here');
    }
  }
}
