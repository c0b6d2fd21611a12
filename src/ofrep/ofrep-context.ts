import { OfrepError } from '../common/errors/ofrep-error.js';
import type { AttributeValue, Target } from '../model/target.js';

/** The Harness target an OFREP evaluation context names; null without a `targetingKey`. */
export interface OfrepTarget {
  target: Target | null;
  /** The context as sent, canonical: what answers and ETags are memoised by. */
  key: string;
}

type Primitive = string | number | boolean;

/**
 * Maps the body of an OFREP evaluation request (`{"context": {...}}`) to a Harness target:
 * `targetingKey` is the identifier, a string `name` the name, every other member an attribute
 * (strings, numbers, booleans and arrays of them, as Harness attributes are). A missing body or
 * context is an empty context.
 */
export function targetOf(body: unknown): OfrepTarget {
  if (body === undefined || body === null) {
    return { target: null, key: '' };
  }
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new OfrepError(400, 'PARSE_ERROR', 'the request body must be a JSON object');
  }
  const context = (body as { context?: unknown }).context;
  if (context === undefined || context === null) {
    return { target: null, key: '' };
  }
  if (typeof context !== 'object' || Array.isArray(context)) {
    throw new OfrepError(400, 'INVALID_CONTEXT', 'context must be a JSON object');
  }
  const { targetingKey, ...members } = context as Record<string, unknown>;
  if (targetingKey !== undefined && typeof targetingKey !== 'string') {
    throw new OfrepError(400, 'INVALID_CONTEXT', 'context.targetingKey must be a string');
  }
  const attributes: Record<string, AttributeValue> = {};
  for (const [name, value] of Object.entries(members)) {
    if (!isAttribute(value)) {
      throw new OfrepError(
        400,
        'INVALID_CONTEXT',
        `context.${name} must be a string, number, boolean or an array of them`,
      );
    }
    attributes[name] = value;
  }
  if (!targetingKey) {
    return { target: null, key: '' };
  }
  const { name, ...rest } = attributes;
  const target: Target = {
    identifier: targetingKey,
    ...(typeof name === 'string' ? { name } : {}),
    attributes: typeof name === 'string' || name === undefined ? rest : attributes,
  };
  return { target, key: JSON.stringify(target) };
}

function isAttribute(value: unknown): value is Primitive | Primitive[] {
  return isPrimitive(value) || (Array.isArray(value) && value.every(isPrimitive));
}

function isPrimitive(value: unknown): value is Primitive {
  return (
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}
