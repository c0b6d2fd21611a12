import { parseScrape } from '../../../test/support/prometheus-text.js';
import { openFds } from '../../lib/children.js';
import { sleep } from '../../lib/wait.js';
import type { RelayProcess, ResourceSample } from './relay-process.js';

export interface RelayResources {
  name: string;
  incarnations: number;
  /** Right after the first start became healthy, before any load. */
  first?: ResourceSample;
  /** Right after the last (re)start became healthy. */
  lastStart?: ResourceSample;
  /** Once the load stopped and the open connections closed. */
  end?: ResourceSample;
}

/**
 * Open fds this far above the last start's, once the load is gone, count as a leak. At rest a
 * relay still holds a few more than at its start (its keep-alive pool to the upstream, the
 * harness' own idle connections); a leak per request or per stream would be thousands over.
 */
export const FD_SLACK = 20;

/**
 * Waits until no relay's open fds go down any more (the SDKs' connections are closing after
 * the load stopped; at most `timeoutMs`), then samples each relay as `end`.
 */
export async function sampleAtRest(
  relays: readonly RelayProcess[],
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let previous = relays.map((r) => (r.pid === undefined ? 0 : openFds(r.pid)));
  while (Date.now() < deadline) {
    await sleep(1_000);
    const now = relays.map((r) => (r.pid === undefined ? 0 : openFds(r.pid)));
    const steady = now.every((fds, i) => fds >= (previous[i] ?? 0));
    previous = now;
    if (steady) {
      break;
    }
  }
  relays.forEach((relay) => relay.sample('end'));
}

export function resourcesOf(relay: RelayProcess): RelayResources {
  const starts = relay.samples.filter((s) => s.label === 'start');
  const first = starts[0];
  const lastStart = starts.at(-1);
  const end = relay.samples
    .filter((s) => s.label === 'end' && s.incarnation === relay.incarnation)
    .at(-1);
  return {
    name: relay.name,
    incarnations: relay.incarnation,
    ...(first ? { first } : {}),
    ...(lastStart ? { lastStart } : {}),
    ...(end ? { end } : {}),
  };
}

/** Whether the last incarnation holds more fds at rest than it did when it started (+slack). */
export function leaksFds(resources: RelayResources): boolean {
  return (
    resources.end === undefined ||
    resources.lastStart === undefined ||
    resources.end.fds > resources.lastStart.fds + FD_SLACK
  );
}

/**
 * Waits until a counter of a relay's scrape stops moving (the same value twice, a second apart;
 * at most `timeoutMs`): the primary has read what the replicas left in the metrics stream.
 */
export async function counterAtRest(
  relay: RelayProcess,
  name: string,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let previous = -1;
  while (Date.now() < deadline) {
    const value = await relay.scrape().then(
      (text) => parseScrape(text).value(name),
      () => -2,
    );
    if (value === previous && value >= 0) {
      return;
    }
    previous = value;
    await sleep(1_000);
  }
}
