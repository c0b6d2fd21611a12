import { SlidingCount } from './sliding-count.js';

describe(SlidingCount.name, () => {
  it('counts what happened in the window and forgets what is older', () => {
    const count = new SlidingCount(300);
    const t0 = 1_000_000_000;
    for (let i = 0; i < 1_000; i += 1) {
      count.add(t0 + i);
    }
    count.add(t0 + 200_000);
    expect(count.total(t0 + 200_000)).toBe(1_001);
    expect(count.total(t0 + 299_000)).toBe(1_001);
    expect(count.total(t0 + 301_000)).toBe(1);
    expect(count.total(t0 + 600_000)).toBe(0);
  });

  it('reuses a slot for a new second instead of adding to an old one', () => {
    const count = new SlidingCount(2);
    count.add(0);
    count.add(2_000);
    expect(count.total(2_000)).toBe(1);
  });
});
