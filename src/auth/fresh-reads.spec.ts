import { FreshReads } from './fresh-reads.js';

describe(FreshReads.name, () => {
  function counting(fail = () => false) {
    const started: number[] = [];
    const errors: unknown[] = [];
    const reads = new FreshReads(
      async () => {
        started.push(Date.now());
        await new Promise((resolve) => setTimeout(resolve, 5));
        if (fail()) {
          throw new Error('cache away');
        }
      },
      50,
      (err) => errors.push(err),
    );
    return { reads, started, errors };
  }

  it('runs one read for callers that ask together, and none again within the gap', async () => {
    const { reads, started } = counting();
    await Promise.all([reads.freshen(), reads.freshen(), reads.freshen()]);
    await reads.freshen();
    expect(started).toHaveLength(1);
  });

  it('waits for a read that started after the moment asked, however recent the last one', async () => {
    const { reads, started } = counting();
    await reads.freshen();
    const asked = Date.now();
    await reads.since(asked);
    expect(started).toHaveLength(2);
    expect(started[1]).toBeGreaterThanOrEqual(asked);
  });

  it('says whether the last read failed, and hands its error over', async () => {
    let failing = true;
    const { reads, errors } = counting(() => failing);
    await reads.freshen();
    expect(reads.lastFailed).toBe(true);
    expect(errors).toHaveLength(1);
    failing = false;
    await reads.since(Date.now());
    expect(reads.lastFailed).toBe(false);
  });
});
