/** Deeper than any SDK payload (targets, metrics) nests; evaluators and validators recurse. */
export const MAX_JSON_DEPTH = 32;
/** More entries than one SDK sends in one request (SDKs cap their metrics well below it). */
export const MAX_JSON_ARRAY_LENGTH = 20_000;

/**
 * Why a decoded JSON value is too deep or holds too long an array, or undefined if it is fine.
 * Iterative, so a hostile document cannot overflow the stack here either.
 */
export function jsonLimitExceeded(
  value: unknown,
  maxDepth = MAX_JSON_DEPTH,
  maxArrayLength = MAX_JSON_ARRAY_LENGTH,
): string | undefined {
  const pending: [unknown, number][] = [[value, 1]];
  let next: [unknown, number] | undefined;
  while ((next = pending.pop())) {
    const [node, depth] = next;
    if (typeof node !== 'object' || node === null) {
      continue;
    }
    if (depth > maxDepth) {
      return `JSON nested deeper than ${maxDepth} levels`;
    }
    const children = Array.isArray(node) ? node : Object.values(node);
    if (Array.isArray(node) && node.length > maxArrayLength) {
      return `JSON array longer than ${maxArrayLength} entries`;
    }
    for (const child of children) {
      pending.push([child, depth + 1]);
    }
  }
  return undefined;
}
