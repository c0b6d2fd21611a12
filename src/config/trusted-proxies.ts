import { isIP } from 'node:net';

/**
 * Whose `X-Forwarded-For` the relay believes: a hop count (the nearest N proxies, whatever their
 * addresses), or addresses and CIDRs (and proxy-addr's names `loopback`, `linklocal`,
 * `uniquelocal`). `[]`: nobody, the client address is the connection's.
 */
export type TrustedProxies = number | readonly string[];

const NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** `TRUSTED_PROXIES` parsed, or undefined when it is neither a hop count nor a valid list. */
export function parseTrustedProxies(value: string | undefined): TrustedProxies | undefined {
  if (value === undefined) {
    return [];
  }
  if (/^\d+$/.test(value)) {
    return Number.parseInt(value, 10);
  }
  const entries = value.split(',').map((entry) => entry.trim());
  return entries.every(validEntry) ? entries : undefined;
}

function validEntry(entry: string): boolean {
  if (NAMES.has(entry)) {
    return true;
  }
  const [address = '', prefix, extra] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) {
    return false;
  }
  const bits = family === 4 ? 32 : 128;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= bits);
}
