/** setTimeout's longest delay (2^31 - 1 ms, 596 h 31 m): a longer one fires at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Runs `run` at the wall-clock time `at`, however far ahead: a wait beyond setTimeout's limit is
 * taken in steps. The timer is unref'd (it never holds the process open). Returns the cancel.
 */
export function runAt(at: number, run: () => void): () => void {
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    const left = at - Date.now();
    timer = setTimeout(left > MAX_TIMER_MS ? arm : run, Math.max(0, Math.min(left, MAX_TIMER_MS)));
    timer.unref();
  };
  arm();
  return () => clearTimeout(timer);
}
