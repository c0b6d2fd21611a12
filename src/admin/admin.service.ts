import { Inject, Injectable } from '@nestjs/common';
import { SigningKeys } from '../auth/signing-keys.service.js';
import { MemoryMirror, type MemoryView } from '../cache/memory-mirror.js';
import { StoredSdkKeys } from '../cache/sealed/stored-sdk-keys.js';
import { ChangeNotStoredError, ProxyError } from '../common/errors/proxy-error.js';
import { fingerprint } from '../common/fingerprint.js';
import { ProxyKey } from '../upstream/proxy-key.js';
import type { AdminCall } from './admin-call.js';
import { requireGracePeriod } from './dto/grace-period.js';
import { AuthSecretRotatedDto, KeysResponseDto } from './dto/keys-response.dto.js';
import { KEY_AUTHORITY, type KeyAuthority } from './key-authority.js';

/** The Admin API's key listing and SDK-token secret rotation. */
@Injectable()
export class AdminService {
  constructor(
    private readonly keys: SigningKeys,
    @Inject(MemoryMirror) private readonly mirror: MemoryView,
    private readonly storedKeys: StoredSdkKeys,
    private readonly proxyKey: ProxyKey,
    @Inject(KEY_AUTHORITY) private readonly authority: KeyAuthority,
  ) {}

  /**
   * SDK keys come from the cache every instance shares, so a replica lists every key as the
   * primary does, not only those its SDKs have used. With the cache unreachable the answer is
   * what memory holds, and says so (`sdkKeysFrom: "memory"`): the fingerprints of the proxy key
   * and the token secrets are what an operator needs most in an incident. Environments this
   * instance serves with no key left are listed with none.
   */
  async listKeys(): Promise<KeysResponseDto> {
    // Offline, a PROXY_KEY that is set is not in service: listing it would say otherwise.
    const proxyKey = this.authority === 'harness' ? this.proxyKey.value : '';
    const fromCache = await this.storedKeys.byEnvironment();
    const stored = fromCache ?? new Map<string, string[]>();
    for (const env of this.mirror.servedEnvironments()) {
      stored.set(env.id, [...new Set([...(stored.get(env.id) ?? []), ...env.apiKeys])]);
    }
    const environments = [...stored]
      .map(([id, hashes]) => ({ id, sdkKeys: hashes.map((hash) => hash.slice(0, 12)).sort() }))
      .sort((a, b) => a.id.localeCompare(b.id));
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
      fromCache ? 'cache' : 'memory',
    );
  }

  async rotateAuthSecret(gracePeriod: string, call: AdminCall): Promise<AuthSecretRotatedDto> {
    const graceMs = requireGracePeriod(gracePeriod);
    call.note({ previous: this.keys.view().fingerprint, gracePeriod });
    try {
      const rotated = await this.keys.rotate(graceMs);
      call.note({ current: rotated.fingerprint });
      return new AuthSecretRotatedDto(rotated.fingerprint, rotated.previousValidUntil);
    } catch (err) {
      if (err instanceof ProxyError) {
        throw err;
      }
      call.note({ err });
      throw new ChangeNotStoredError('the new token secret');
    }
  }
}
