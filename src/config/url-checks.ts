/** An absolute http or https URL with a host (the Harness service URLs). */
export function isHttpUrl(value: unknown): boolean {
  const url = typeof value === 'string' ? parse(value) : undefined;
  return url !== undefined && /^https?:$/.test(url.protocol) && url.hostname !== '';
}

/**
 * What the Redis client can connect to: `host:port`, `redis://host:port/db`, `rediss://…`, or a
 * comma-separated list of those (a cluster); a path, when present, is a DB number.
 */
export function isRedisAddress(value: unknown): boolean {
  if (typeof value !== 'string') {
    return false;
  }
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  return (
    entries.length > 0 &&
    entries.every((entry) => {
      const url = parse(/^[a-z][a-z0-9+.-]*:\/\//i.test(entry) ? entry : `redis://${entry}`);
      return (
        url !== undefined &&
        /^rediss?:$/.test(url.protocol) &&
        url.hostname !== '' &&
        /^\/?(\d+)?$/.test(url.pathname)
      );
    })
  );
}

function parse(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}
