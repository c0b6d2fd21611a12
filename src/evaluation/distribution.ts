import murmurhash from 'murmurhash';
import type { Distribution } from '../model/feature-config.js';
import type { Target } from '../model/target.js';
import { attributeValue } from './attribute.js';

const IDENTIFIER = 'identifier';

/**
 * The variation a percentage rollout serves (docs/evaluation.md): the first entry whose cumulative
 * weight reaches the target's bucket, else the last entry, or `""` for no/empty distribution.
 */
export function distributionVariation(
  distribution: Distribution | null | undefined,
  target: Target | null,
): string {
  const variations = distribution?.variations;
  if (!variations || variations.length === 0) {
    return '';
  }
  // The bucket does not depend on the running total, so hash once instead of per entry as Go does.
  const bucket = targetBucket(target, distribution.bucketBy ?? '');
  let total = 0;
  for (const { variation, weight } of variations) {
    total += weight;
    if (total > 0 && bucket <= total) {
      return variation;
    }
  }
  return variations.at(-1)?.variation ?? '';
}

/** The target's bucket in 1..100, or Infinity when it has neither the attribute nor an identifier. */
export function targetBucket(target: Target | null, bucketBy: string): number {
  const value = attributeValue(target, bucketBy);
  if (value !== '') {
    return bucketOf(`${bucketBy}:${value}`);
  }
  const identifier = attributeValue(target, IDENTIFIER);
  return identifier === '' ? Infinity : bucketOf(`${IDENTIFIER}:${identifier}`);
}

/** `(murmur3_x86_32(UTF-8 key, seed 0) mod 100) + 1`; the hash is unsigned. */
export function bucketOf(key: string): number {
  return (murmur3(key) % 100) + 1;
}

const utf8 = new TextEncoder();
/** Keys are short (`attribute:value`); up to this many UTF-8 bytes are encoded into one buffer. */
const SCRATCH = new Uint8Array(4096);

/**
 * MurmurHash3 x86 32-bit, seed 0, over the UTF-8 bytes of `key`, as an unsigned integer. The
 * library would build a TextEncoder and a new array per call for a string (a tenth of a new
 * target's evaluations): bytes go into a reused buffer instead, copied in a loop while they are
 * ASCII (the common case: a call into the encoder cost more than the hash itself).
 */
export function murmur3(key: string): number {
  if (key.length * 3 > SCRATCH.length) {
    return murmurhash(utf8.encode(key), 0);
  }
  let length = 0;
  for (; length < key.length; length++) {
    const code = key.charCodeAt(length);
    if (code > 0x7f) {
      length = utf8.encodeInto(key, SCRATCH).written;
      break;
    }
    SCRATCH[length] = code;
  }
  return murmurhash(SCRATCH.subarray(0, length), 0);
}
