import type { UpstreamEmulator } from '../../../test/support/upstream-emulator/upstream-emulator.js';
import { sleep } from '../../lib/wait.js';
import type { RelayProcess } from './relay-process.js';
import type { SdkFleet, StaleValue } from './sdk-fleet.js';

export interface InstanceConvergence {
  name: string;
  /** Seconds until it served every flag at the upstream's version; undefined: never. */
  seconds?: number;
  /** Flags still behind (or the error) at the deadline. */
  behind: string;
}

export interface Settling {
  /** Seconds until every SDK served the upstream's values; undefined: not before the deadline. */
  seconds?: number;
  stale: StaleValue[];
  instances: InstanceConvergence[];
}

/**
 * From the end of the last fault (no more flag changes), how long until every Node SDK serves
 * what the upstream's config says, and until each relay serves every flag at the upstream's
 * version (asked directly, not through the balancer). Checked every second up to the deadline.
 */
export async function settle(
  fleet: SdkFleet,
  relays: readonly RelayProcess[],
  upstream: UpstreamEmulator,
  env: string,
  sdkKey: string,
  timeoutMs: number,
): Promise<Settling> {
  const started = Date.now();
  const elapsed = (): number => (Date.now() - started) / 1000;
  const instances = new Map<string, InstanceConvergence>(
    relays.map((r) => [r.name, { name: r.name, behind: 'not asked' }]),
  );
  let seconds: number | undefined;
  let stale: StaleValue[] = [];
  for (;;) {
    stale = await fleet.stale(upstream, env);
    if (stale.length === 0 && seconds === undefined) {
      seconds = elapsed();
    }
    for (const relay of relays) {
      const state = instances.get(relay.name) as InstanceConvergence;
      if (state.seconds === undefined) {
        state.behind = await behind(relay, upstream, env, sdkKey);
        if (state.behind === '') {
          state.seconds = elapsed();
        }
      }
    }
    const converged = [...instances.values()].every((i) => i.seconds !== undefined);
    if ((seconds !== undefined && converged) || Date.now() - started > timeoutMs) {
      return {
        ...(seconds === undefined ? {} : { seconds }),
        stale,
        instances: [...instances.values()],
      };
    }
    await sleep(1_000);
  }
}

/** The flags a relay serves at another version than the upstream's ('' when none). */
async function behind(
  relay: RelayProcess,
  upstream: UpstreamEmulator,
  env: string,
  sdkKey: string,
): Promise<string> {
  try {
    const auth = await fetch(`${relay.url}/client/auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apiKey: sdkKey }),
      signal: AbortSignal.timeout(5_000),
    });
    const { authToken } = (await auth.json()) as { authToken?: string };
    const response = await fetch(`${relay.url}/client/env/${env}/feature-configs`, {
      headers: { authorization: `Bearer ${authToken ?? ''}` },
      signal: AbortSignal.timeout(5_000),
    });
    if (response.status !== 200) {
      return `feature-configs answered ${response.status}`;
    }
    const served = new Map(
      ((await response.json()) as { feature: string; version?: number }[]).map((f) => [
        f.feature,
        f.version,
      ]),
    );
    return upstream
      .featureConfigs(env)
      .filter((flag) => served.get(flag.feature) !== flag.version)
      .map((flag) => `${flag.feature} v${served.get(flag.feature) ?? '-'}/v${flag.version ?? '-'}`)
      .join(', ');
  } catch (err) {
    return `no answer: ${err instanceof Error ? err.message : String(err)}`;
  }
}
