import { fingerprint } from '../common/fingerprint.js';
import { SecretRing } from './secret-ring.js';

/** A token whose header names `kid` (only the header matters to the ring). */
function tokenOf(kid?: string): string {
  const header = Buffer.from(JSON.stringify({ alg: 'HS256', ...(kid ? { kid } : {}) }));
  return `${header.toString('base64url')}.e30.sig`;
}

describe(SecretRing.name, () => {
  it('signs and verifies with the configured secret alone, naming no kid, until a rotation', () => {
    const ring = new SecretRing('configured');
    expect(ring.signing().kid).toBeUndefined();
    expect(ring.verifying(tokenOf()).key).toBe(ring.configured.key);
    expect(ring.verifying(tokenOf()).previous).toBeUndefined();
  });

  it('before any rotation of its own, has no key for a token naming a kid (it must re-read)', () => {
    // Signed by an instance that rotated a moment ago: checked against AUTH_SECRET it would
    // fail its signature, a 401 that SDK would keep until it restarts.
    const ring = new SecretRing('configured');
    expect(ring.verifying(tokenOf(fingerprint('rotated-elsewhere')))).toEqual({});
    expect(ring.holds(fingerprint('rotated-elsewhere'))).toBe(false);
  });

  it('reads the kid-less header jsonwebtoken writes without decoding it', () => {
    const plain = `${Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url')}.e30.sig`;
    expect(new SecretRing('configured').secretOf(plain)).toBe(fingerprint('configured'));
  });

  it('after a rotation: the new secret by its kid, a previous one until its grace ends', () => {
    const ring = new SecretRing('configured');
    const now = Date.now();
    ring.apply({
      current: { secret: 'rotated' },
      previous: [
        { secret: 'configured', validUntil: now + 60_000 },
        { secret: 'ended', validUntil: now - 1 },
      ],
    });
    expect(ring.signing().kid).toBe(fingerprint('rotated'));
    expect(ring.verifying(tokenOf(fingerprint('rotated')), now).key).toBe(ring.current.key);
    const previous = ring.verifying(tokenOf(), now);
    expect(previous.previous).toBe(fingerprint('configured'));
    expect(previous.key).toBeDefined();
    expect(ring.verifying(tokenOf(fingerprint('ended')), now)).toEqual({});
    expect(ring.verifying(tokenOf(fingerprint('unknown')), now)).toEqual({});
    // Held (so a token of it is not re-read for) though it no longer verifies.
    expect(ring.holds(fingerprint('ended'))).toBe(true);
    expect(ring.stored().previous.map((p) => p.secret)).toEqual(['configured']);
  });
});
