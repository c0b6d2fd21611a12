/**
 * Hands every page to `onPage` as it arrives: the first alone (it says how many there are), then
 * the rest `concurrency` at a time. A worker asks for its next page only once `onPage` is done
 * with its last, so pages are let go as they are handled, never all held at once. A failed page
 * (or `onPage`) aborts the others and rejects; pages already handed over stay handed over.
 */
export async function eachPage<P extends { pageCount: number }>(
  fetchPage: (pageNumber: number, signal: AbortSignal) => Promise<P>,
  onPage: (page: P, pageNumber: number) => Promise<void>,
  options: { concurrency: number; timeoutMs: number },
): Promise<void> {
  const abort = new AbortController();
  const signal = AbortSignal.any([AbortSignal.timeout(options.timeoutMs), abort.signal]);
  const first = await fetchPage(0, signal);
  await onPage(first, 0);
  let next = 1;
  const worker = async (): Promise<void> => {
    while (next < first.pageCount && !signal.aborted) {
      const pageNumber = next;
      next += 1;
      await onPage(await fetchPage(pageNumber, signal), pageNumber);
    }
  };
  const workers = Array.from({ length: options.concurrency }, () => worker());
  await Promise.all(workers).catch((err: unknown) => {
    abort.abort();
    throw err;
  });
}
