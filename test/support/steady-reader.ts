export interface SteadyReaderOptions {
  baseUrl: string;
  sdkKey: string;
  environment: string;
  /** A target sent at auth, whose stored attributes evaluations then use. */
  target: { identifier: string; name: string; attributes?: Record<string, unknown> };
  intervalMs?: number;
  timeoutMs?: number;
}

/**
 * An SDK that never stops asking: `/client/auth`, `feature-configs` and the stored target's
 * `evaluations` in turn, every 50 ms, counting every answer an SDK would suffer from. A 401 (the
 * key looks bad) and an empty list (every flag looks gone) count as failures like 5xx and
 * timeouts. The timeout (10 s) is the SDKs' order of magnitude, not a latency target: on a loaded
 * 2-core machine a 2 s one failed answers that no SDK would have given up on.
 */
export class SteadyReader {
  readonly failures: string[] = [];
  requests = 0;
  private token = '';
  private stopped = false;
  private loop?: Promise<void>;

  constructor(private readonly options: SteadyReaderOptions) {}

  async start(): Promise<void> {
    this.token = await this.authenticate();
    this.loop = this.run();
  }

  async stop(): Promise<{ requests: number; failures: string[] }> {
    this.stopped = true;
    await this.loop;
    return { requests: this.requests, failures: this.failures };
  }

  /** Waits until at least `count` more requests were made (so a window is really covered). */
  async covers(count: number): Promise<void> {
    const until = this.requests + count;
    while (this.requests < until && !this.stopped) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  private async run(): Promise<void> {
    const { baseUrl, environment, target } = this.options;
    const checks = [
      () => this.authenticate(),
      () => this.nonEmptyList(`${baseUrl}/client/env/${environment}/feature-configs`),
      () =>
        this.nonEmptyList(
          `${baseUrl}/client/env/${environment}/target/${target.identifier}/evaluations`,
        ),
    ];
    for (let i = 0; !this.stopped; i += 1) {
      const check = checks[i % checks.length] as () => Promise<unknown>;
      try {
        await check();
      } catch (err) {
        this.failures.push(`${new Date().toISOString()} ${(err as Error).message}`);
      }
      this.requests += 1;
      await new Promise((resolve) => setTimeout(resolve, this.options.intervalMs ?? 50));
    }
  }

  private async authenticate(): Promise<string> {
    const response = await fetch(`${this.options.baseUrl}/client/auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apiKey: this.options.sdkKey, target: this.options.target }),
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
    });
    const body = await response.text();
    if (response.status !== 200) {
      throw new Error(`auth ${response.status} ${body}`);
    }
    return (JSON.parse(body) as { authToken: string }).authToken;
  }

  private async nonEmptyList(url: string): Promise<void> {
    const response = await fetch(url, {
      headers: { authorization: `Bearer ${this.token}` },
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
    });
    const body = await response.text();
    if (response.status !== 200) {
      throw new Error(`${new URL(url).pathname} ${response.status} ${body}`);
    }
    const list: unknown = JSON.parse(body);
    if (!Array.isArray(list) || list.length === 0) {
      throw new Error(`${new URL(url).pathname} answered an empty list`);
    }
  }
}
