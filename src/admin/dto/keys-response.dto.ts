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
  ) {}
}

export class AuthSecretRotatedDto {
  constructor(
    readonly fingerprint: string,
    readonly previousValidUntil: string,
  ) {}
}
