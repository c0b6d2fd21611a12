import { parseTrustedProxies } from './trusted-proxies.js';

describe('parseTrustedProxies', () => {
  it('trusts nobody when unset', () => {
    expect(parseTrustedProxies(undefined)).toEqual([]);
  });

  it('reads a hop count', () => {
    expect(parseTrustedProxies('1')).toBe(1);
  });

  it('reads addresses, CIDRs and proxy-addr names, trimmed', () => {
    expect(parseTrustedProxies('10.0.0.0/8, 192.168.1.7,fd00::/8 ,uniquelocal')).toEqual([
      '10.0.0.0/8',
      '192.168.1.7',
      'fd00::/8',
      'uniquelocal',
    ]);
  });

  it.each(['10.0.0.0/33', 'example.com', '10.0.0.1/8/8', '1.2.3.4,', 'fd00::/129', '-1'])(
    'refuses %s',
    (value) => {
      expect(parseTrustedProxies(value)).toBeUndefined();
    },
  );
});
