import { bearerToken, VerifiedTokens } from './verified-tokens.js';

const principal = { environment: 'env-1', keyHash: 'abc' };

function token(payload: object): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part(payload)}.signature`;
}

describe('VerifiedTokens', () => {
  it('remembers a token for the TTL only', () => {
    const tokens = new VerifiedTokens(1_000, 10);
    const t = token({ environment: 'env-1' });
    tokens.remember(t, principal, 0);
    expect(tokens.get(t, 999)).toEqual(principal);
    expect(tokens.get(t, 1_000)).toBeUndefined();
    expect(tokens.size).toBe(0);
  });

  it('never keeps a token past its exp, nor one already expired or unreadable', () => {
    const tokens = new VerifiedTokens(60_000, 10);
    const soon = token({ exp: 2 });
    tokens.remember(soon, principal, 1_000);
    expect(tokens.get(soon, 1_999)).toEqual(principal);
    expect(tokens.get(soon, 2_000)).toBeUndefined();
    const expired = token({ exp: 1 });
    tokens.remember(expired, principal, 5_000);
    expect(tokens.get(expired, 5_000)).toBeUndefined();
    tokens.remember('not.a-jwt-payload!.x', principal, 0);
    expect(tokens.get('not.a-jwt-payload!.x', 0)).toBeUndefined();
  });

  it('drops the oldest entry when full', () => {
    const tokens = new VerifiedTokens(60_000, 2);
    const [a, b, c] = ['a', 'b', 'c'].map((id) => token({ id }));
    tokens.remember(a ?? '', principal, 0);
    tokens.remember(b ?? '', principal, 0);
    tokens.remember(c ?? '', principal, 0);
    expect(tokens.size).toBe(2);
    expect(tokens.get(a ?? '', 1)).toBeUndefined();
    expect(tokens.get(c ?? '', 1)).toEqual(principal);
  });

  it('forgets on request', () => {
    const tokens = new VerifiedTokens();
    const t = token({});
    tokens.remember(t, principal);
    tokens.forget(t);
    expect(tokens.get(t)).toBeUndefined();
  });
});

describe('bearerToken', () => {
  it('reads the token of a Bearer header in any case, and nothing else', () => {
    expect(bearerToken('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearerToken('bearer abc')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken('Bearer abc extra')).toBeUndefined();
    expect(bearerToken(' Bearer abc')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
    expect(bearerToken(['Bearer a'])).toBeUndefined();
  });
});
