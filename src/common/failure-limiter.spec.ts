import { FailureLimiter } from './failure-limiter.js';

describe(FailureLimiter.name, () => {
  const T0 = 1_000_000;

  it('lets an address fail `limit` times a window, then says how long to wait', () => {
    const limiter = new FailureLimiter(3, 60_000);
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfterSeconds('a', T0 + i * 1000)).toBe(0);
      limiter.fail('a', T0 + i * 1000);
    }
    expect(limiter.retryAfterSeconds('a', T0 + 2_500)).toBe(58);
    expect(limiter.retryAfterSeconds('b', T0 + 2_500)).toBe(0);
    // The first failure has left the window: one more try.
    expect(limiter.retryAfterSeconds('a', T0 + 60_001)).toBe(0);
  });

  it('forgets the least recently failing address past its bound', () => {
    const limiter = new FailureLimiter(1, 60_000, 2);
    limiter.fail('a', T0);
    limiter.fail('b', T0);
    limiter.fail('a', T0 + 1);
    limiter.fail('c', T0 + 2);
    expect(limiter.retryAfterSeconds('a', T0 + 3)).toBeGreaterThan(0);
    expect(limiter.retryAfterSeconds('b', T0 + 3)).toBe(0);
    expect(limiter.retryAfterSeconds('c', T0 + 3)).toBeGreaterThan(0);
  });
});
