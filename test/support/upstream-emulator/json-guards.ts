import type { FeatureConfig } from '../../../src/model/feature-config.js';
import type { Segment } from '../../../src/model/segment.js';

/** Narrowing for parsed JSON, so that nothing read from disk or the wire is merely asserted. */

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const isString = (value: unknown): value is string => typeof value === 'string';

export const isFeatureConfig = (value: unknown): value is FeatureConfig =>
  isRecord(value) && isString(value.feature) && Array.isArray(value.variations);

export const isSegment = (value: unknown): value is Segment =>
  isRecord(value) && isString(value.identifier);

export const isStringArray = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every(isString);
