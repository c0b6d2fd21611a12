import type { SigningKeysView } from '../../auth/signing-keys.service.js';

/** What `GET /admin/v1/keys` shows: fingerprints only, never a secret. */
export class KeysResponseDto {
  constructor(
    readonly proxyKey: {
      fingerprint: string;
      /** While Harness still accepts the key rotated out. */
      previous?: { fingerprint: string; validUntil: string };
    } | null,
    readonly authSecret: SigningKeysView,
    readonly environments: { id: string; sdkKeys: string[] }[],
    /**
     * `cache`: every SDK key the shared cache holds (on every instance alike); `memory`: the
     * cache could not be read, so only the keys this instance holds in memory (a read replica
     * holds only those its SDKs have used).
     */
    readonly sdkKeysFrom: 'cache' | 'memory',
  ) {}
}

export class AuthSecretRotatedDto {
  constructor(
    readonly fingerprint: string,
    readonly previousValidUntil: string,
  ) {}
}
