import { IsGracePeriod } from './grace-period.js';

export class RotateAuthSecretDto {
  /** How long tokens of the current secret stay valid: a Go duration (`"24h"`, `"0s"`). */
  @IsGracePeriod('24h')
  gracePeriod!: string;
}
