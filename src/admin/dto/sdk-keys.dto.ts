import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { IsGracePeriod } from './grace-period.js';

export class CreateSdkKeyDto {
  @IsIn(['server', 'client'], { message: 'kind must be server or client' })
  kind!: 'server' | 'client';
}

export class SdkKeyParamsDto {
  @IsString()
  @Matches(/^[0-9a-f-]{1,64}$/, { message: 'environment must be an environment UUID' })
  environment!: string;
}

export class SdkKeyFingerprintParamsDto extends SdkKeyParamsDto {
  @Matches(/^[0-9a-f]{12}$/, { message: 'fingerprint must be 12 hex characters' })
  fingerprint!: string;
}

export class RemoveSdkKeyQueryDto {
  /** How long the key keeps working: a Go duration, `0s` (the default) ends it at once. */
  @IsOptional()
  @IsGracePeriod('1h')
  gracePeriod?: string;
}

export class SdkKeyCreatedDto {
  constructor(
    /** Shown this once: only its hash is kept. */
    readonly key: string,
    readonly fingerprint: string,
  ) {}
}
