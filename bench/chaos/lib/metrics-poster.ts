import { Agent, fetch } from 'undici';
import type { UpstreamEmulator } from '../../../test/support/upstream-emulator/upstream-emulator.js';
import { sleep } from '../../lib/wait.js';
import { type FailureRecord, tokenKid } from './failures.js';
import { ledgerOf, type MetricsLedger, METRICS_FEATURE, receivedCounts } from './metrics-ledger.js';

const TIMEOUT_MS = 10_000;
const RETRY_FOR_MS = 120_000;

/**
 * Posts SDK metrics as SDKs do (`POST /metrics/{env}` with an SDK token), one batch a second,
 * each batch under a variation of its own (`batch-<n>`), so that what reaches the upstream can
 * be matched batch by batch even though the primary adds up entries of the same key. A 503 is
 * posted again (as the Node SDK does); a batch the relay still did not take is a failed SDK
 * request, and one it took (2xx) that the upstream never got is lost.
 */
export class MetricsPoster {
  readonly failures: FailureRecord[] = [];
  /** Batches tried. */
  attempts = 0;
  /** Posts answered 503 and posted again. */
  retried = 0;
  private readonly posted = new Map<string, { count: number; phase: string; at: number }>();
  private token = '';
  private stopped = false;
  private loop?: Promise<void>;
  private readonly agent = new Agent({ keepAliveTimeout: 4_000 });

  constructor(
    private readonly baseUrl: string,
    private readonly sdkKey: string,
    private readonly env: string,
    private readonly phase: () => string,
    /** The fingerprint of AUTH_SECRET, the `kid` of tokens that carry none. */
    private readonly configuredKid: string,
    private readonly intervalMs = 1_000,
  ) {}

  start(): void {
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
    await this.agent.close();
  }

  /** What the upstream got of what was posted, batch by batch. */
  ledger(upstream: UpstreamEmulator): MetricsLedger {
    return { ...ledgerOf(this.posted, receivedCounts(upstream)), retried: this.retried };
  }

  private async run(): Promise<void> {
    for (let n = 1; !this.stopped; n += 1) {
      const batch = `batch-${n}`;
      const count = 1 + (n % 5);
      this.attempts += 1;
      const failure = await this.post(batch, count);
      if (failure) {
        this.failures.push(failure);
      } else {
        this.posted.set(batch, { count, phase: this.phase(), at: Date.now() });
      }
      await sleep(this.intervalMs);
    }
  }

  /** Posts one batch (after an auth when there is no token); a failure, or undefined. */
  private async post(batch: string, count: number): Promise<FailureRecord | undefined> {
    if (!this.token) {
      const failure = await this.attempt('auth (metrics)', () => this.authenticate());
      if (failure) {
        return failure;
      }
    }
    return this.postUntilStored(() =>
      this.attempt('metrics', () =>
        this.call(`/metrics/${this.env}`, metricsBody(batch, count), this.token),
      ),
    );
  }

  /**
   * A 503 (the relay could not store them) is posted again after a growing pause, as the Node
   * SDK's HTTP client does (it retries every failed metrics POST, without end), for 2 minutes.
   */
  private async postUntilStored(
    post: () => Promise<FailureRecord | undefined>,
  ): Promise<FailureRecord | undefined> {
    const giveUpAt = Date.now() + RETRY_FOR_MS;
    for (let pauseMs = 500; ; pauseMs = Math.min(pauseMs * 2, 8_000)) {
      const failure = await post();
      if (failure?.status !== 503 || Date.now() > giveUpAt || this.stopped) {
        return failure;
      }
      this.retried += 1;
      await sleep(pauseMs);
    }
  }

  /** One call, and once more if it got no answer at all (a connection cut), as SDKs do. */
  private async attempt(
    route: string,
    call: () => Promise<Reply>,
  ): Promise<FailureRecord | undefined> {
    for (let tries = 0; ; tries += 1) {
      const outcome = await call().then(
        (reply) => reply,
        (err: Error & { cause?: { code?: string } }) => err,
      );
      const kid = this.token ? { tokenKid: tokenKid(this.token, this.configuredKid) } : {};
      const base = { at: Date.now(), route, phase: this.phase(), ...kid };
      if (!(outcome instanceof Error)) {
        if (outcome.status < 300) {
          return undefined;
        }
        if (outcome.status === 401) {
          this.token = '';
        }
        const code = outcome.code ? { code: outcome.code } : {};
        return { ...base, status: outcome.status, ...code, detail: `answered ${outcome.status}` };
      }
      const timeout = outcome.name === 'TimeoutError';
      if (timeout || tries > 0) {
        const cause = outcome.cause?.code ?? '';
        const detail = timeout ? `timeout after ${TIMEOUT_MS} ms` : `${outcome.message} ${cause}`;
        return { ...base, detail: detail.trim() };
      }
      await sleep(100);
    }
  }

  private async authenticate(): Promise<Reply> {
    const reply = await this.call('/client/auth', { apiKey: this.sdkKey });
    this.token = reply.authToken ?? '';
    return reply;
  }

  private async call(path: string, body: object, token?: string): Promise<Reply> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify(body),
      dispatcher: this.agent,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    // The relay answers a metrics POST with the JSON `null`.
    const json = (await response.json().catch(() => undefined)) as
      { code?: unknown; authToken?: unknown } | null | undefined;
    return {
      status: response.status,
      ...(typeof json?.code === 'string' ? { code: json.code } : {}),
      ...(typeof json?.authToken === 'string' ? { authToken: json.authToken } : {}),
    };
  }
}

interface Reply {
  status: number;
  code?: string;
  authToken?: string;
}

function metricsBody(batch: string, count: number): object {
  const attributes = {
    featureIdentifier: METRICS_FEATURE,
    featureName: METRICS_FEATURE,
    variationIdentifier: batch,
    variationValue: batch,
    SDK_TYPE: 'server',
    SDK_LANGUAGE: 'chaos',
    SDK_VERSION: '1.0.0',
    target: 'chaos-metrics',
  };
  return {
    metricsData: [
      {
        timestamp: Date.now(),
        count,
        metricsType: 'FFMETRICS',
        attributes: Object.entries(attributes).map(([key, value]) => ({ key, value })),
      },
    ],
    targetData: [],
  };
}
