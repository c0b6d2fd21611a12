import { applyDecorators } from '@nestjs/common';
import { IsString, ValidateBy } from 'class-validator';
import { BadRequestError } from '../../common/errors/proxy-error.js';
import { MAX_GRACE_MS, MAX_GRACE_PERIOD } from '../../common/grace-period.js';
import { parseGoDuration } from '../../config/go-duration.js';

/** Longer than any Go duration up to the bound needs; refuses a megabyte of digits at once. */
const MAX_LENGTH = 32;

/** Milliseconds of a grace period: a Go duration of at most 30 days; undefined otherwise. */
export function gracePeriodMs(text: string): number | undefined {
  const ms = text.length <= MAX_LENGTH ? parseGoDuration(text) : undefined;
  return ms !== undefined && ms <= MAX_GRACE_MS ? Math.ceil(ms) : undefined;
}

/** For services: the DTO has checked it already, so this only guards against a new caller. */
export function requireGracePeriod(text: string): number {
  const ms = gracePeriodMs(text);
  if (ms === undefined) {
    throw new BadRequestError(`gracePeriod must be a Go duration of at most ${MAX_GRACE_PERIOD}`);
  }
  return ms;
}

/** A `gracePeriod` field: a Go duration from `0s` to 720h (30 days); a 400 names it otherwise. */
export function IsGracePeriod(example: string): PropertyDecorator {
  const message = `gracePeriod must be a Go duration of at most ${MAX_GRACE_PERIOD} (30 days), such as ${example} or 0s`;
  return applyDecorators(
    IsString({ message }),
    ValidateBy({
      name: 'isGracePeriod',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' && gracePeriodMs(value) !== undefined,
        defaultMessage: () => message,
      },
    }),
  );
}
