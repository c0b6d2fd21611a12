import type { AttributeValue, Target } from '../model/target.js';
import { formatGoFloat, formatGoValue } from './go-compat.js';

// jsoniter (Go) escapes these in marshalled objects; JSON.stringify does not.
const JSONITER_ESCAPED = /[<>&\u2028\u2029]/g;

/**
 * The string a clause or a bucketing rule compares for `name` (docs/evaluation.md). `""` means
 * "no value": null target, empty name, or an absent attribute. Only `identifier` and `name`
 * are read from the target itself (exact, case-sensitive); there is no nested-path lookup.
 */
export function attributeValue(target: Target | null, name: string): string {
  if (!target || name === '') {
    return '';
  }
  if (name === 'identifier') {
    return target.identifier ?? '';
  }
  if (name === 'name') {
    return target.name ?? '';
  }
  const attributes = target.attributes;
  if (!attributes || !Object.hasOwn(attributes, name)) {
    return '';
  }
  const value = attributes[name];
  return value === undefined ? '' : attributeToString(value);
}

/** Converts a decoded JSON attribute value the way the Go evaluator does (docs/evaluation.md). */
export function attributeToString(value: AttributeValue): string {
  if (value === null || Array.isArray(value)) {
    return formatGoValue(value);
  }
  if (typeof value === 'string') {
    return value;
  }
  if (typeof value === 'number') {
    return formatGoFloat(value);
  }
  if (typeof value === 'boolean') {
    return value ? 'true' : 'false';
  }
  // Go marshals objects without sorting keys, so only single-key objects are reproducible.
  return JSON.stringify(value).replace(
    JSONITER_ESCAPED,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
