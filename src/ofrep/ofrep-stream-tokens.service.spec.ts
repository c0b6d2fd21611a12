import { createSecretKey, type KeyObject } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import { UnauthorisedError } from '../common/errors/proxy-error.js';
import {
  OfrepStreamTokens,
  STREAM_TOKEN_TTL_S,
  type StreamTokenKeys,
} from './ofrep-stream-tokens.service.js';

/** The one secret of a relay that never rotated: what SigningKeys answers then. */
function fakeKeys(key: KeyObject): StreamTokenKeys {
  return {
    signing: () => ({ key }),
    verifyingFresh: () => Promise.resolve(key),
  };
}

describe(OfrepStreamTokens.name, () => {
  const secret = createSecretKey(Buffer.from('stream-token-test-secret'));
  const jwt = new JwtService({});
  const tokens = new OfrepStreamTokens(jwt, fakeKeys(secret));
  const grant = { environment: 'env-1', keyHash: 'a'.repeat(64) };
  // The start of the current 15-minute issue window: the token it gives must verify now (a
  // fixed date here expired an hour after it was written).
  const now = Math.floor(Date.now() / (15 * 60_000)) * 15 * 60_000 + 60_000;

  it('issues a token that grants its environment and key, the same one all window long', async () => {
    const token = tokens.issue(grant, now);
    expect(tokens.issue(grant, now + 10 * 60_000)).toBe(token);
    expect(tokens.issue(grant, now + 20 * 60_000)).not.toBe(token);
    expect(token).not.toContain(grant.keyHash);
    await expect(tokens.verify(token)).resolves.toEqual(grant);
  });

  it('refuses an expired token', async () => {
    const old = tokens.issue(grant, Date.now() - (STREAM_TOKEN_TTL_S + 60 * 60) * 1000);
    await expect(tokens.verify(old)).rejects.toBeInstanceOf(UnauthorisedError);
  });

  it('refuses an SDK token signed with the secret itself, and anything that is not a token', async () => {
    const sdkToken = jwt.sign(
      { sub: 'ofrep-events', env: 'env-1', kh: grant.keyHash },
      { privateKey: secret as never, algorithm: 'HS256' },
    );
    await expect(tokens.verify(sdkToken)).rejects.toBeInstanceOf(UnauthorisedError);
    await expect(tokens.verify('garbage')).rejects.toBeInstanceOf(UnauthorisedError);
  });
});
