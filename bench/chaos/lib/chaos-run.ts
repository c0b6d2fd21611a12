import { fingerprint } from '../../../src/common/fingerprint.js';
import { sleep } from '../../lib/wait.js';
import { CHAOS_AUTH_SECRET, type ChaosCluster } from './cluster.js';
import type { RevokedSecret } from './failures.js';
import type { FlagChurn } from './flag-churn.js';
import type { RelayProcess } from './relay-process.js';
import type { SdkFleet } from './sdk-fleet.js';

const PROXY_KEY_ROTATION = 'proxy-key rotation (0s)';
const AUTH_SECRET_ROTATION = 'auth-secret rotation (0s)';

/** An operator's Admin API call during the run, and whether the relay kept its promise. */
export interface AdminAction {
  name: string;
  status: number;
  /** `ok`; `refused` (an error answer and nothing changed); `broken` (changed half-way). */
  outcome: 'ok' | 'refused' | 'broken';
  note: string;
}

/**
 * The live state of one fault run: which faults are under way (each failure is recorded with
 * them), what the operator did through the Admin API, and which SDK-token secrets were revoked
 * at once (a 401 for a token of theirs is the documented effect, not a failure).
 */
export class ChaosRun {
  readonly faults = new Set<string>();
  readonly revoked: RevokedSecret[] = [];
  readonly adminActions: AdminAction[] = [];
  /** What happened besides the steps, for the report. */
  readonly events: string[] = [];
  /** Work a step started and the run waits for before it settles (SDK apps restarting). */
  readonly background: Promise<unknown>[] = [];

  constructor(
    readonly cluster: ChaosCluster,
    readonly churn: FlagChurn,
    readonly fleet: SdkFleet,
  ) {}

  readonly phase = (): string => (this.faults.size > 0 ? [...this.faults].join(' + ') : 'steady');

  /**
   * Rotates the proxy key with no grace. The emulator then revokes the old key at once and, as
   * SaaS ends the streams of a key it no longer accepts, the open upstream streams are cut: the
   * primary must carry on with the new key.
   */
  async rotateProxyKey(): Promise<string> {
    const before = this.cluster.upstream.proxyKey;
    const { status, body } = await this.cluster.admin('POST', 'proxy-key/rotate', {
      gracePeriod: '0s',
    });
    const after = this.cluster.upstream.proxyKey;
    if (after !== before) {
      this.cluster.upstream.cutStreams();
    }
    const answer = body as { key?: string; sealed?: boolean } | undefined;
    if (status === 200 && answer?.sealed === false && answer.key) {
      // The relay runs on the new key but could not keep it in Redis (the answer says so): the
      // operator puts it in the primary's Secret, as docs/admin-api.md asks, for its next start.
      this.cluster.primary.setEnv({ PROXY_KEY: answer.key });
      const note = `now ${fingerprint(after)}, not sealed: the operator put it in the primary's Secret`;
      this.record(PROXY_KEY_ROTATION, status, 'ok', note);
    } else if (status === 200) {
      this.record(PROXY_KEY_ROTATION, status, 'ok', `now ${fingerprint(after)}`);
    } else if (after === before) {
      this.record(PROXY_KEY_ROTATION, status, 'refused', `answered ${status}: ${brief(body)}`);
    } else {
      // The new key went to the relay only, which lost it: the operator rotates again in
      // Harness and puts that key in the primary's Secret, used from its next start on.
      const remedy = this.cluster.upstream.rotateProxyKey();
      this.cluster.primary.setEnv({ PROXY_KEY: remedy });
      const note =
        `Harness rotated (old key revoked) but the relay answered ${status}: ${brief(body)}; ` +
        `the operator rotated again in Harness and put that key in the primary's Secret`;
      this.record(PROXY_KEY_ROTATION, status, 'broken', note);
    }
    return this.adminActions.at(-1)?.note ?? '';
  }

  /**
   * Rotates the SDK-token secret with no grace, then restarts the SDK apps (in the background:
   * the sequence goes on), as the runbook says a "0s" rotation needs.
   */
  async rotateAuthSecret(): Promise<string> {
    const before = await this.secretFingerprint();
    const at = Date.now();
    const { status, body } = await this.cluster.admin('POST', 'auth-secret/rotate', {
      gracePeriod: '0s',
    });
    if (status === 200) {
      this.revoked.push({ fingerprint: before, at });
      this.record(
        AUTH_SECRET_ROTATION,
        status,
        'ok',
        `now ${String((body as { fingerprint?: string }).fingerprint)}`,
      );
      const current = String((body as { fingerprint?: string }).fingerprint);
      this.background.push(this.restartAppsOnceFollowed(current));
      return `${this.adminActions.at(-1)?.note ?? ''}; SDK apps restart once every instance signs with it`;
    }
    const after = await this.secretFingerprint();
    const outcome = after === before ? 'refused' : 'broken';
    this.record(AUTH_SECRET_ROTATION, status, outcome, `answered ${status}: ${brief(body)}`);
    if (outcome === 'broken') {
      this.revoked.push({ fingerprint: before, at });
    }
    return this.adminActions.at(-1)?.note ?? '';
  }

  /**
   * The SDK apps restart once every serving instance signs with the new secret (or after
   * 10 s): docs/admin-api.md promises instances follow within 2 s, and an app that
   * authenticated with an instance still on the revoked secret would be refused forever after.
   */
  private async restartAppsOnceFollowed(current: string): Promise<void> {
    const started = Date.now();
    const signsWith = async (relay: RelayProcess): Promise<boolean> => {
      const { body } = await this.cluster.admin('GET', 'keys', undefined, relay);
      return (
        (body as { authSecret?: { fingerprint?: string } } | undefined)?.authSecret?.fingerprint ===
        current
      );
    };
    while (Date.now() - started < 10_000) {
      const running = this.cluster.relays.filter((relay) => this.cluster.isServing(relay));
      if ((await Promise.all(running.map(signsWith))).every(Boolean)) {
        break;
      }
      await sleep(100);
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    this.events.push(
      `every serving instance signed with the new SDK-token secret ${seconds} s after its rotation; the SDK apps were restarted then`,
    );
    await this.fleet.restartAll();
  }

  /** What an operator does after a "try again" answer: the refused rotations, once more. */
  async retryRefused(): Promise<string> {
    const refused = new Set(
      this.adminActions.filter((a) => a.outcome === 'refused').map((a) => a.name),
    );
    const notes: string[] = [];
    if (refused.has(PROXY_KEY_ROTATION)) {
      notes.push(`proxy key: ${await this.rotateProxyKey()}`);
    }
    if (refused.has(AUTH_SECRET_ROTATION)) {
      notes.push(`SDK-token secret: ${await this.rotateAuthSecret()}`);
    }
    return notes.join('; ') || 'nothing was refused';
  }

  /** The fingerprint of the secret new tokens are signed with (AUTH_SECRET's if unknown). */
  private async secretFingerprint(): Promise<string> {
    const { body } = await this.cluster.admin('GET', 'keys');
    const current = (body as { authSecret?: { fingerprint?: string } } | undefined)?.authSecret;
    return current?.fingerprint ?? fingerprint(CHAOS_AUTH_SECRET);
  }

  private record(
    name: string,
    status: number,
    outcome: AdminAction['outcome'],
    note: string,
  ): void {
    this.adminActions.push({ name, status, outcome, note });
  }
}

function brief(body: unknown): string {
  return (typeof body === 'string' ? body : (JSON.stringify(body) ?? '')).slice(0, 160);
}
