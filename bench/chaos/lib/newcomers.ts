import { ChaosReader, type ChaosReaderOptions } from './chaos-reader.js';
import type { FailureRecord } from './failures.js';

/**
 * New apps starting during the faults, each with an SDK key of its own that exists upstream
 * from the start but that no instance was asked about before: its auth and first reads are
 * what an instance may never have seen (a 503 is then allowed, a 401 is not).
 */
export class Newcomers {
  readonly failures: FailureRecord[] = [];
  requests = 0;
  absorbed = 0;
  private timer?: NodeJS.Timeout;
  private next = 0;
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly keys: readonly string[],
    private readonly options: Omit<ChaosReaderOptions, 'sdkKey' | 'target'>,
  ) {}

  start(everyMs: number): void {
    this.timer = setInterval(() => this.arrive(), everyMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all(this.running);
  }

  /** Keys that were used. */
  get arrived(): number {
    return this.next;
  }

  private arrive(): void {
    const key = this.keys[this.next];
    if (key === undefined) {
      clearInterval(this.timer);
      return;
    }
    const n = this.next;
    this.next += 1;
    const reader = new ChaosReader({
      ...this.options,
      sdkKey: key,
      target: { identifier: `chaos-newcomer-${n}`, name: `Newcomer ${n}` },
    });
    const done = reader.once().then(() => {
      this.failures.push(...reader.failures);
      this.requests += reader.requests;
      this.absorbed += reader.absorbed.length;
      this.running.delete(done);
    });
    this.running.add(done);
  }
}
