import { BadRequestError } from '../common/errors/proxy-error.js';
import { jsonLimitExceeded } from '../common/json-limits.js';
import type { AttributeValue, Target } from '../model/target.js';

/**
 * Decodes the `Harness-Target` header the JS client sends: base64 (standard alphabet) of the
 * target's UTF-8 JSON. Returns undefined when it is absent or unusable (bad base64, bad JSON, a
 * non-string identifier), in which case the caller falls back to the stored target
 * (docs/sdk-api.md). Decoding is lenient: the JS SDK's encoder produces CESU-8 for emoji.
 */
export function decodeTargetHeader(header: string | undefined): Target | undefined {
  if (!header) {
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(header, 'base64').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) {
    return undefined;
  }
  // The evaluator walks attributes recursively: a hostile target must not overflow its stack.
  const problem = jsonLimitExceeded(parsed);
  if (problem) {
    throw new BadRequestError(`Harness-Target: ${problem}`);
  }
  const { identifier, name, anonymous, attributes } = parsed as Record<string, unknown>;
  if (typeof identifier !== 'string') {
    return undefined;
  }
  return {
    identifier,
    ...(typeof name === 'string' ? { name } : {}),
    ...(typeof anonymous === 'boolean' ? { anonymous } : {}),
    ...(isAttributes(attributes) ? { attributes } : {}),
  };
}

function isAttributes(value: unknown): value is Record<string, AttributeValue> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
