/**
 * `work`, or a rejection once `ms` have passed without it settling (the work itself goes on:
 * a Redis command is not cancelled, its answer is only no longer waited for).
 */
export function within<T>(work: Promise<T>, ms: number, what = 'an answer'): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no ${what} in ${ms} ms`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
