import { IsString, MaxLength, MinLength } from 'class-validator';
import { IsGracePeriod } from './grace-period.js';

export class RotateProxyKeyDto {
  /** How long the old key keeps working upstream: a Go duration (`"12h"`, `"0s"`). */
  @IsGracePeriod('12h')
  gracePeriod!: string;
}

export class PutProxyKeyDto {
  /** A proxy key made elsewhere (the Harness UI, Terraform). */
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  key!: string;
}

export class ProxyKeyRotatedDto {
  constructor(
    /** The one response that hands out a secret: the new key. */
    readonly key: string,
    readonly fingerprint: string,
    readonly previousValidUntil: string,
    /**
     * False when the cache did not take the new key: it is in service, but a restart would come
     * up on PROXY_KEY again, so put this key in the environment now.
     */
    readonly sealed: boolean,
  ) {}
}

export class ProxyKeyInUseDto {
  constructor(readonly fingerprint: string) {}
}
