import { IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { GO_DURATION_PATTERN } from '../../config/go-duration.js';

export class RotateProxyKeyDto {
  /** How long the old key keeps working upstream: a Go duration (`"12h"`, `"0s"`). */
  @IsString()
  @Matches(GO_DURATION_PATTERN, { message: 'gracePeriod must be a Go duration such as 12h or 0s' })
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
  ) {}
}

export class ProxyKeyInUseDto {
  constructor(readonly fingerprint: string) {}
}
