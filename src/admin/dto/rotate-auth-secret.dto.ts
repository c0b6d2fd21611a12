import { IsString, Matches } from 'class-validator';
import { GO_DURATION_PATTERN } from '../../config/go-duration.js';

export class RotateAuthSecretDto {
  /** How long tokens of the current secret stay valid: a Go duration (`"24h"`, `"0s"`). */
  @IsString()
  @Matches(GO_DURATION_PATTERN, { message: 'gracePeriod must be a Go duration such as 24h or 0s' })
  gracePeriod!: string;
}
