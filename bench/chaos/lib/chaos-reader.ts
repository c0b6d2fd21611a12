import { Agent, fetch, type RequestInit } from 'undici';
import { sleep } from '../../lib/wait.js';
import { type FailureRecord, tokenKid } from './failures.js';

export interface ChaosReaderOptions {
  baseUrl: string;
  sdkKey: string;
  environment: string;
  target: { identifier: string; name: string; attributes?: Record<string, string> };
  intervalMs: number;
  /** The fingerprint of AUTH_SECRET, the `kid` of tokens that carry none. */
  configuredKid: string;
  /** The faults under way right now, recorded with each failure. */
  phase: () => string;
}

const TIMEOUT_MS = 10_000;

class Answer extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

/**
 * An SDK that never stops asking, as test/support/steady-reader.ts (auth, feature-configs, the
 * target's evaluations in turn; a 401, an empty list, a 5xx or a 10 s timeout is a failure),
 * with what a fault run needs on top: its own connection pool (so readers spread over the
 * balancer's backends), the token of its latest auth (so it follows a secret rotation), one
 * retry of a request that got no answer at all (the connection was cut by a killed instance:
 * SDK HTTP clients retry those too, and each one is kept in `absorbed`), and a classifiable
 * record of every failure.
 */
/** Pauses before each retry of a request that got no answer. */
const RETRY_PAUSES_MS = [100, 500, 1_000];

export class ChaosReader {
  readonly failures: FailureRecord[] = [];
  readonly absorbed: FailureRecord[] = [];
  requests = 0;
  private token = '';
  private stopped = false;
  private loop?: Promise<void>;
  private readonly agent = new Agent({ keepAliveTimeout: 4_000 });

  constructor(private readonly options: ChaosReaderOptions) {}

  start(): void {
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
    await this.agent.close();
  }

  /** One round, as a new app's first requests: auth, then its reads if it got a token. */
  async once(): Promise<void> {
    for (const [route, step] of this.steps()) {
      if (route !== 'auth' && !this.token) {
        break;
      }
      await this.attempt(route, step);
      this.requests += 1;
    }
    await this.agent.close();
  }

  private steps(): [string, () => Promise<void>][] {
    const { environment, target } = this.options;
    return [
      ['auth', () => this.authenticate()],
      ['feature-configs', () => this.nonEmptyList(`/client/env/${environment}/feature-configs`)],
      [
        'evaluations',
        () =>
          this.nonEmptyList(`/client/env/${environment}/target/${target.identifier}/evaluations`),
      ],
    ];
  }

  private async run(): Promise<void> {
    const steps = this.steps();
    const auth = steps[0] as [string, () => Promise<void>];
    for (let i = 0; !this.stopped; i += 1) {
      // A read needs a token: until an auth worked, every step is an auth.
      const [route, step] = this.token ? (steps[i % steps.length] ?? auth) : auth;
      await this.attempt(route, step);
      this.requests += 1;
      await sleep(this.options.intervalMs);
    }
  }

  private async attempt(route: string, step: () => Promise<void>): Promise<void> {
    const kid = this.token ? tokenKid(this.token, this.options.configuredKid) : undefined;
    const first = await step().then(
      () => undefined,
      (err: unknown) => this.record(route, err, kid),
    );
    if (first?.status === 401) {
      // As an SDK whose token is refused would have to: authenticate again.
      this.token = '';
    }
    if (!first || first.status !== undefined || first.detail.startsWith('timeout')) {
      if (first) {
        this.failures.push(first);
      }
      return;
    }
    // No answer at all (a connection cut by an instance that died): tried again as SDKs do,
    // after 100 ms, then 500 ms, then 1 s: a balancer may send a retry to another instance
    // that is going down before it leaves the endpoints.
    let last: FailureRecord | undefined = first;
    for (const pauseMs of RETRY_PAUSES_MS) {
      await sleep(pauseMs);
      last = await step().then(
        () => undefined,
        (err: unknown) => this.record(route, err, kid),
      );
      if (!last || last.status !== undefined) {
        break;
      }
    }
    (last ? this.failures : this.absorbed).push(last ?? first);
  }

  private record(route: string, err: unknown, kid: string | undefined): FailureRecord {
    const base = {
      at: Date.now(),
      route,
      phase: this.options.phase(),
      ...(kid ? { tokenKid: kid } : {}),
    };
    if (err instanceof Answer) {
      return {
        ...base,
        status: err.status,
        ...(err.code ? { code: err.code } : {}),
        detail: err.message,
      };
    }
    const error = err as Error & { cause?: { code?: string; message?: string } };
    if (error.name === 'TimeoutError' || error.name === 'AbortError') {
      return { ...base, detail: `timeout after ${TIMEOUT_MS} ms` };
    }
    return {
      ...base,
      detail: `${error.message} ${error.cause?.code ?? error.cause?.message ?? ''}`.trim(),
    };
  }

  private async call(path: string, init: RequestInit = {}): Promise<unknown> {
    const response = await fetch(`${this.options.baseUrl}${path}`, {
      ...init,
      dispatcher: this.agent,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
    if (response.status !== 200) {
      const code = (body as { code?: unknown } | undefined)?.code;
      throw new Answer(
        response.status,
        typeof code === 'string' ? code : undefined,
        `${response.status} ${text.slice(0, 200)}`,
      );
    }
    return body;
  }

  private async authenticate(): Promise<void> {
    const body = (await this.call('/client/auth', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apiKey: this.options.sdkKey, target: this.options.target }),
    })) as { authToken?: string };
    this.token = body.authToken ?? '';
  }

  private async nonEmptyList(path: string): Promise<void> {
    const list = await this.call(path, { headers: { authorization: `Bearer ${this.token}` } });
    if (!Array.isArray(list) || list.length === 0) {
      throw new Answer(200, undefined, `${path} answered an empty list`);
    }
  }
}
