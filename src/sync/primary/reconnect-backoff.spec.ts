import { MAX_BACKOFF_MS, ReconnectBackoff } from './reconnect-backoff.js';

function waits(backoff: ReconnectBackoff, count: number): number[] {
  return Array.from({ length: count }, () => backoff.next());
}

describe(ReconnectBackoff.name, () => {
  it('retries at once, then doubles from 1 s up to 30 s', () => {
    expect(waits(new ReconnectBackoff(60_000, () => 1), 9)).toEqual([
      0, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000,
    ]);
  });

  it('draws each wait from the upper half of its step', () => {
    expect(waits(new ReconnectBackoff(60_000, () => 0), 4)).toEqual([0, 500, 1_000, 2_000]);
    expect(waits(new ReconnectBackoff(60_000, () => 0.5), 3)).toEqual([0, 750, 1_500]);
  });

  it('never waits longer than the poll interval', () => {
    expect(waits(new ReconnectBackoff(1_000, () => 1), 5)).toEqual([0, 1_000, 1_000, 1_000, 1_000]);
    expect(waits(new ReconnectBackoff(5_000, () => 1), 6)).toEqual([
      0, 1_000, 2_000, 4_000, 5_000, 5_000,
    ]);
  });

  it('goes back to an immediate retry after a reset', () => {
    const backoff = new ReconnectBackoff(60_000, () => 1);
    waits(backoff, 5);
    backoff.reset();
    expect(waits(backoff, 3)).toEqual([0, 1_000, 2_000]);
  });

  it('stays at the cap however long the outage lasts', () => {
    const backoff = new ReconnectBackoff(60_000, () => 1);
    expect(Math.max(...waits(backoff, 10_000))).toBe(MAX_BACKOFF_MS);
  });
});
