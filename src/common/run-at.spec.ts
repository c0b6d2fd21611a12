import { runAt } from './run-at.js';

const HOUR = 3_600_000;

describe(runAt.name, () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('waits past setTimeout’s 596 h limit instead of firing at once', () => {
    const run = vi.fn<() => void>();
    runAt(Date.now() + 700 * HOUR, run);
    vi.advanceTimersByTime(1);
    expect(run).not.toHaveBeenCalled();
    vi.advanceTimersByTime(700 * HOUR - 2);
    expect(run).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('runs a time already past on the next turn, and not once cancelled', () => {
    const past = vi.fn<() => void>();
    runAt(Date.now() - 1, past);
    expect(past).not.toHaveBeenCalled();
    vi.advanceTimersByTime(0);
    expect(past).toHaveBeenCalledTimes(1);
    const cancelled = vi.fn<() => void>();
    const cancel = runAt(Date.now() + 800 * HOUR, cancelled);
    vi.advanceTimersByTime(600 * HOUR);
    cancel();
    vi.advanceTimersByTime(300 * HOUR);
    expect(cancelled).not.toHaveBeenCalled();
  });
});
