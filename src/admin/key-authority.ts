/**
 * Who issues this instance's keys, decided once where AdminModule is wired (from the mode, not
 * from whether PROXY_KEY happens to be set): `harness` for a primary or a replica, whose SDK keys
 * and proxy key live in Harness; `relay` offline, where CONFIG_DIR and the Admin API are the
 * authority for SDK keys and no proxy key is in service even if PROXY_KEY is set.
 */
export const KEY_AUTHORITY = Symbol('keyAuthority');

export type KeyAuthority = 'harness' | 'relay';
