import { Inject, Injectable } from '@nestjs/common';
import { SdkKeyRegistry, type SdkKeyKind } from '../cache/sealed/sdk-key-registry.service.js';
import { ConflictError } from '../common/errors/proxy-error.js';
import { StreamHub } from '../stream/stream-hub.service.js';
import type { AdminCall } from './admin-call.js';
import { requireGracePeriod } from './dto/grace-period.js';
import { SdkKeyCreatedDto } from './dto/sdk-keys.dto.js';
import { KEY_AUTHORITY, type KeyAuthority } from './key-authority.js';

/**
 * SDK keys made and ended by an operator, where the relay is their authority: offline. On a
 * primary they are managed upstream, in Harness: 409.
 */
@Injectable()
export class SdkKeysAdmin {
  constructor(
    @Inject(KEY_AUTHORITY) private readonly authority: KeyAuthority,
    private readonly registry: SdkKeyRegistry,
    private readonly streams: StreamHub,
  ) {}

  async create(environment: string, kind: SdkKeyKind, call: AdminCall): Promise<SdkKeyCreatedDto> {
    this.requireOffline(call);
    call.note({ environment, kind });
    const { key, hash } = await this.registry.create(environment, kind);
    call.note({ fingerprint: hash.slice(0, 12) });
    return new SdkKeyCreatedDto(key, hash.slice(0, 12));
  }

  async remove(
    environment: string,
    fingerprint: string,
    gracePeriod: string,
    call: AdminCall,
  ): Promise<void> {
    this.requireOffline(call);
    call.note({ environment, fingerprint, gracePeriod });
    await this.registry.remove(environment, fingerprint, requireGracePeriod(gracePeriod), (hash) =>
      this.streams.closeKey(hash),
    );
  }

  private requireOffline(call: AdminCall): void {
    if (this.authority === 'harness') {
      call.note({ reason: 'primary' });
      throw new ConflictError('SDK keys of a primary are managed in Harness, not here');
    }
  }
}
