import { Injectable } from '@nestjs/common';
import { SigningKeys } from '../auth/signing-keys.service.js';
import { MemoryMirror } from '../cache/memory-mirror.js';
import { ChangeNotStoredError } from '../common/errors/proxy-error.js';
import { fingerprint } from '../common/fingerprint.js';
import { parseGoDuration } from '../config/go-duration.js';
import { ProxyKey } from '../upstream/proxy-key.js';
import { AdminAudit, type AdminCaller } from './admin-audit.js';
import { AuthSecretRotatedDto, KeysResponseDto } from './dto/keys-response.dto.js';

/** The Admin API's key listing and SDK-token secret rotation; every call is audited. */
@Injectable()
export class AdminService {
  constructor(
    private readonly keys: SigningKeys,
    private readonly mirror: MemoryMirror,
    private readonly proxyKey: ProxyKey,
    private readonly audit: AdminAudit,
  ) {}

  listKeys(caller: AdminCaller): KeysResponseDto {
    const proxyKey = this.proxyKey.value;
    const environments = this.mirror
      .servedEnvironments()
      .map((env) => ({ id: env.id, sdkKeys: env.apiKeys.map((hash) => hash.slice(0, 12)).sort() }))
      .sort((a, b) => a.id.localeCompare(b.id));
    this.audit.record('list-keys', 'ok', caller);
    const previous = this.proxyKey.previous;
    return new KeysResponseDto(
      proxyKey
        ? {
            fingerprint: fingerprint(proxyKey),
            ...(previous
              ? {
                  previous: {
                    fingerprint: fingerprint(previous.key),
                    validUntil: new Date(previous.validUntil).toISOString(),
                  },
                }
              : {}),
          }
        : null,
      this.keys.view(),
      environments,
    );
  }

  async rotateAuthSecret(gracePeriod: string, caller: AdminCaller): Promise<AuthSecretRotatedDto> {
    const graceMs = parseGoDuration(gracePeriod) ?? 0;
    const before = this.keys.view().fingerprint;
    try {
      const rotated = await this.keys.rotate(graceMs);
      this.audit.record('rotate-auth-secret', 'ok', caller, {
        previous: before,
        current: rotated.fingerprint,
        gracePeriod,
      });
      return new AuthSecretRotatedDto(rotated.fingerprint, rotated.previousValidUntil);
    } catch (err) {
      this.audit.record('rotate-auth-secret', 'error', caller, { previous: before, err });
      throw new ChangeNotStoredError('the new token secret');
    }
  }
}
