import { eachPage } from './config-pages.js';

describe(eachPage.name, () => {
  const options = { concurrency: 3, timeoutMs: 10_000 };

  it('hands every page over once, the first before any other, at most `concurrency` in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const handled: number[] = [];
    await eachPage(
      async (n) => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 1 + (n % 3)));
        inFlight -= 1;
        return { pageCount: 10, n };
      },
      async (page, n) => {
        expect(page.n).toBe(n);
        handled.push(n);
        await Promise.resolve();
      },
      options,
    );
    expect(handled[0]).toBe(0);
    expect([...handled].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(most).toBeLessThanOrEqual(3);
  });

  it('stops asking once a page fails, and rejects with its error', async () => {
    const asked: number[] = [];
    const signals: AbortSignal[] = [];
    const run = eachPage(
      async (n, signal) => {
        asked.push(n);
        signals.push(signal);
        await new Promise((resolve) => setTimeout(resolve, 2));
        if (n === 2) {
          throw new Error('page 2 refused');
        }
        return { pageCount: 50 };
      },
      () => Promise.resolve(),
      options,
    );
    await expect(run).rejects.toThrow('page 2 refused');
    expect(signals.at(-1)?.aborted).toBe(true);
    expect(asked.length).toBeLessThan(50);
  });
});
