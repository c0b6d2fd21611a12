import type { OfrepErrorCode } from '../common/errors/ofrep-error.js';
import type { FeatureConfig, Variation } from '../model/feature-config.js';
import type { ServedReason } from '../evaluation/served-reason.js';

/** A flag's OFREP value: typed by its Harness kind. */
export type OfrepValue = boolean | number | string | object;

export interface OfrepSuccess {
  key: string;
  value: OfrepValue;
  reason: ServedReason;
  variant: string;
  metadata: Record<string, string | number | boolean>;
}

export interface OfrepFailure {
  key: string;
  errorCode: OfrepErrorCode;
  errorDetails: string;
}

export type OfrepAnswer = OfrepSuccess | OfrepFailure;

/** The status a failure answers with on the single-flag route. */
export function statusOf(failure: OfrepFailure): number {
  switch (failure.errorCode) {
    case 'FLAG_NOT_FOUND':
      return 404;
    case 'GENERAL':
    case 'PARSE_ERROR':
      // The flag's own config is at fault, not the request: the Harness route's 500 too.
      return 500;
    case 'TARGETING_KEY_MISSING':
    case 'INVALID_CONTEXT':
    default:
      return 400;
  }
}

export function isFailure(answer: OfrepAnswer): answer is OfrepFailure {
  return 'errorCode' in answer;
}

/**
 * The OFREP answer for what the evaluator served: the variation's value typed by the flag's kind
 * (`boolean`, `int` as a number, `json` as the parsed value, anything else as its string); a
 * value the kind cannot hold (`abc` in an `int` flag, broken JSON) is a `PARSE_ERROR`.
 */
export function answerOf(
  flag: FeatureConfig,
  variation: Variation | undefined,
  reason: ServedReason,
): OfrepAnswer {
  const key = flag.feature;
  if (!variation) {
    return { key, errorCode: 'GENERAL', errorDetails: `flag ${key} served no variation` };
  }
  const value = typed(flag.kind, variation.value);
  if (value === undefined) {
    return {
      key,
      errorCode: 'PARSE_ERROR',
      errorDetails: `variation ${variation.identifier} of ${flag.kind} flag ${key} is not a ${flag.kind}`,
    };
  }
  return {
    key,
    value,
    reason,
    variant: variation.identifier,
    metadata: typeof flag.version === 'number' ? { version: flag.version } : {},
  };
}

/** As the Harness SDKs convert a variation value, so OFREP and Harness clients get the same. */
function typed(kind: string, raw: string): OfrepValue | undefined {
  switch (kind) {
    case 'boolean':
      return raw.toLowerCase() === 'true';
    case 'int': {
      const number = Number.parseFloat(raw);
      return Number.isFinite(number) ? number : undefined;
    }
    case 'json':
      try {
        return JSON.parse(raw) as OfrepValue;
      } catch {
        return undefined;
      }
    default:
      return raw;
  }
}
