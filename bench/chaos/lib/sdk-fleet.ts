import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client, Options } from '@harnessio/ff-nodejs-server-sdk';
import type { FlagKind } from '../../../src/model/feature-config.js';
import { nodeSdkClient, variation } from '../../../test/support/node-sdk.js';
import type { UpstreamEmulator } from '../../../test/support/upstream-emulator/upstream-emulator.js';
import { sleep } from '../../lib/wait.js';
import { upstreamTruth } from './flag-churn.js';

export interface SdkTarget {
  identifier: string;
  name: string;
  attributes: Record<string, string>;
}

/** One flag an SDK serves differently from the upstream's truth. */
export interface StaleValue {
  sdk: string;
  flag: string;
  expected: unknown;
  got: unknown;
}

const INIT_TIMEOUT_MS = 60_000;
/** An app whose SDK cannot start for this long breaks the run: nothing after would mean much. */
const GIVE_UP_MS = 180_000;

/**
 * Unmodified Harness Node server SDKs, each in "an app" of its own with a target of its own,
 * holding a stream through the balancer. Harness SDKs never authenticate again, so after an
 * SDK-token secret is revoked at once ("0s") the apps are restarted, as the runbook in
 * docs/admin-api.md says; an app whose SDK fails to initialise restarts it too, and that is
 * recorded.
 */
export class SdkFleet {
  readonly initFailures: string[] = [];
  restarts = 0;
  private clients: { client: Client; target: SdkTarget }[] = [];
  private ticker?: NodeJS.Timeout;

  constructor(
    private readonly sdkKey: string,
    private readonly baseUrl: string,
    private readonly count: number,
    /** Where each app's SDK log goes (`sdk-<target>.log`): how a stale SDK got there. */
    private readonly logDir?: string,
  ) {}

  get size(): number {
    return this.clients.length;
  }

  async start(): Promise<void> {
    const started = await Promise.all(
      Array.from({ length: this.count }, (_, i) => this.startOne(i)),
    );
    this.clients = started;
    // Evaluations now and then, so the SDKs post metrics of their own as real apps do.
    this.ticker ??= setInterval(() => this.evaluateOne(), 1_000);
  }

  /** Closes every SDK and starts new ones: the apps restarted. */
  async restartAll(): Promise<void> {
    this.clients.forEach(({ client }) => client.close());
    this.clients = [];
    this.restarts += 1;
    await this.start();
  }

  /** Every flag of every SDK that does not serve what the upstream's config says. */
  async stale(upstream: UpstreamEmulator, env: string): Promise<StaleValue[]> {
    const found: StaleValue[] = [];
    for (const { client, target } of this.clients) {
      for (const [flag, truth] of upstreamTruth(upstream, env, target)) {
        const got = await variation(client, truth.kind as FlagKind, flag, target);
        if (got !== truth.value) {
          found.push({ sdk: target.identifier, flag, expected: truth.value, got });
        }
      }
    }
    return found;
  }

  close(): void {
    clearInterval(this.ticker);
    this.clients.forEach(({ client }) => client.close());
    this.clients = [];
  }

  private async startOne(i: number): Promise<{ client: Client; target: SdkTarget }> {
    const target: SdkTarget = {
      identifier: `chaos-sdk-${i}`,
      name: `Chaos SDK ${i}`,
      attributes: { group: i % 2 === 0 ? 'beta' : 'ga' },
    };
    const deadline = Date.now() + GIVE_UP_MS;
    for (;;) {
      const said: string[] = [];
      const file = this.logDir ? join(this.logDir, `sdk-${target.identifier}.log`) : undefined;
      const client = nodeSdkClient(this.sdkKey, this.baseUrl, { logger: sdkLogger(said, file) });
      const outcome = await Promise.race([
        client.waitForInitialization().then(
          () => 'ready',
          (err: unknown) => `failed: ${err instanceof Error ? err.message : String(err)}`,
        ),
        sleep(INIT_TIMEOUT_MS).then(() => `not ready after ${INIT_TIMEOUT_MS / 1000} s`),
      ]);
      if (outcome === 'ready') {
        return { client, target };
      }
      const last = said.slice(-3).join(' / ');
      this.initFailures.push(
        `${new Date().toISOString()} ${target.identifier}: ${outcome} (SDK: ${last})`,
      );
      client.close();
      if (Date.now() > deadline) {
        throw new Error(`${target.identifier}: the SDK did not start in ${GIVE_UP_MS / 1000} s`);
      }
      await sleep(2_000);
    }
  }

  private evaluateOne(): void {
    const entry = this.clients[Math.floor(Math.random() * this.clients.length)];
    entry?.client.boolVariation('chaos-flag-0', entry.target, false).catch(() => undefined);
  }
}

const ignore = (): void => undefined;

const text = (message: unknown, rest: unknown[]): string =>
  [message, ...rest]
    .map((part) =>
      part instanceof Error ? part.message : typeof part === 'string' ? part : JSON.stringify(part),
    )
    .join(' ')
    .slice(0, 300);

/**
 * The SDK's warnings and errors, kept (the last 20) to tell why an app could not start; with a
 * file, its stream, poll and event lines too, timed, appended there.
 */
function sdkLogger(said: string[], file?: string): NonNullable<Options['logger']> {
  const write = (level: string, line: string): void => {
    if (file) {
      appendFileSync(file, `${new Date().toISOString()} ${level} ${line}\n`);
    }
  };
  const keep =
    (level: string) =>
    (message: unknown, ...rest: unknown[]): void => {
      const line = text(message, rest);
      said.push(line.slice(0, 200));
      said.splice(0, said.length - 20);
      write(level, line);
    };
  const trace =
    (level: string) =>
    (message: unknown, ...rest: unknown[]): void => {
      const line = text(message, rest);
      if (/SSE|stream|poll|message|Fetching/i.test(line) && !line.startsWith('SDKCODE:6')) {
        write(level, line);
      }
    };
  return {
    trace: ignore,
    debug: file ? trace('debug') : ignore,
    info: file ? trace('info') : ignore,
    warn: keep('warn'),
    error: keep('error'),
  };
}
