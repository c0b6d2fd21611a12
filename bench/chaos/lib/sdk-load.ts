import { ChaosReader } from './chaos-reader.js';
import type { FailureRecord } from './failures.js';
import { MetricsPoster } from './metrics-poster.js';
import { Newcomers } from './newcomers.js';

export interface SdkLoadOptions {
  baseUrl: string;
  environment: string;
  /** The key the readers and the metrics poster use, then one per newcomer. */
  sdkKeys: readonly string[];
  readers: number;
  readerIntervalMs: number;
  /** A new app every this often (none when undefined). */
  newcomerEveryMs?: number;
  configuredKid: string;
  phase: () => string;
}

/**
 * The SDK traffic besides the Node SDKs: steady readers, SDK metrics posts, and new apps with
 * keys of their own arriving now and then; every failure of theirs is recorded for the report.
 */
export class SdkLoad {
  private constructor(
    private readonly readers: ChaosReader[],
    readonly poster: MetricsPoster,
    private readonly newcomers: Newcomers,
  ) {}

  static start(options: SdkLoadOptions): SdkLoad {
    const { baseUrl, environment, configuredKid, phase } = options;
    const sdkKey = options.sdkKeys[0] ?? '';
    const readers = Array.from(
      { length: options.readers },
      (_, i) =>
        new ChaosReader({
          baseUrl,
          sdkKey,
          environment,
          target: {
            identifier: `reader-${i}`,
            name: `Reader ${i}`,
            attributes: { group: i % 2 === 0 ? 'beta' : 'ga' },
          },
          intervalMs: options.readerIntervalMs,
          configuredKid,
          phase,
        }),
    );
    readers.forEach((reader) => reader.start());
    const poster = new MetricsPoster(baseUrl, sdkKey, environment, phase, configuredKid);
    poster.start();
    const newcomers = new Newcomers(options.sdkKeys.slice(1), {
      baseUrl,
      environment,
      intervalMs: 0,
      configuredKid,
      phase,
    });
    if (options.newcomerEveryMs !== undefined) {
      newcomers.start(options.newcomerEveryMs);
    }
    return new SdkLoad(readers, poster, newcomers);
  }

  async stop(): Promise<void> {
    await Promise.all([
      ...this.readers.map((r) => r.stop()),
      this.poster.stop(),
      this.newcomers.stop(),
    ]);
  }

  get failures(): FailureRecord[] {
    return [
      ...this.readers.flatMap((r) => r.failures),
      ...this.poster.failures,
      ...this.newcomers.failures,
    ];
  }

  /** Requests made: reads, metrics posts (and their auths), newcomers' requests. */
  get requests(): number {
    const reads = this.readers.reduce((sum, r) => sum + r.requests, 0);
    return reads + this.poster.attempts + this.newcomers.requests;
  }

  /** Requests that got no answer at first and an answer when tried again. */
  get absorbed(): number {
    return this.readers.reduce((sum, r) => sum + r.absorbed.length, 0) + this.newcomers.absorbed;
  }

  get newcomersArrived(): number {
    return this.newcomers.arrived;
  }
}
