import type { EnvironmentConfig } from '../model/environment-config.js';
import type { FeatureConfig } from '../model/feature-config.js';
import { normaliseFlag, normaliseSegment } from '../model/normalise.js';
import type { Segment } from '../model/segment.js';
import type { SdkEvent } from '../stream/sdk-event.js';

/** What an environment served before a reload (as decoded in memory, already normalised). */
export interface ServedEnvironment {
  flags: readonly FeatureConfig[];
  segments: readonly Segment[];
  /** SHA-256 hex of each SDK key. */
  apiKeys: readonly string[];
}

/**
 * The SDK events a reload brings: one per flag or segment whose content changed (created,
 * changed or deleted), compared by content rather than announced wholesale, so a poll that
 * changes nothing announces nothing and SDKs re-fetch only what changed. An environment that
 * was not served before has no SDK that could hold stale data: it gets no events. SDK keys added
 * or removed meanwhile are announced too (`apiKeyAdded`/`apiKeyRemoved`), for read replicas.
 */
export function resyncEvents(
  before: ReadonlyMap<string, ServedEnvironment>,
  after: readonly EnvironmentConfig[],
): SdkEvent[] {
  const events: SdkEvent[] = [];
  const seen = new Set<string>();
  for (const env of after) {
    seen.add(env.id);
    const served = before.get(env.id);
    if (!served) {
      continue;
    }
    const flags = env.featureConfigs.map(normaliseFlag);
    events.push(
      ...keyEvents(env.id, served.apiKeys, env.apiKeys),
      ...diff(env.id, 'flag', served.flags, flags, (f) => f.feature),
      ...diff(
        env.id,
        'target-segment',
        served.segments,
        env.segments.map(normaliseSegment),
        (s) => s.identifier,
      ),
    );
  }
  for (const [id, served] of before) {
    if (!seen.has(id)) {
      events.push(
        ...keyEvents(id, served.apiKeys, []),
        ...diff(id, 'flag', served.flags, [], (f) => f.feature),
        ...diff(id, 'target-segment', served.segments, [], (s) => s.identifier),
      );
    }
  }
  return events;
}

function keyEvents(env: string, before: readonly string[], after: readonly string[]): SdkEvent[] {
  const event = (name: string, apiKey: string): SdkEvent => ({
    event: name,
    domain: 'proxy',
    identifier: '',
    version: 0,
    environment: '',
    environments: [env],
    apiKey,
  });
  return [
    ...after.filter((key) => !before.includes(key)).map((key) => event('apiKeyAdded', key)),
    ...before.filter((key) => !after.includes(key)).map((key) => event('apiKeyRemoved', key)),
  ];
}

function diff<T extends { version?: number }>(
  environment: string,
  domain: 'flag' | 'target-segment',
  previous: readonly T[],
  next: readonly T[],
  id: (item: T) => string,
): SdkEvent[] {
  const old = new Map(previous.map((item) => [id(item), JSON.stringify(item)]));
  const events: SdkEvent[] = [];
  const event = (name: string, identifier: string, version: number): void => {
    events.push({ event: name, domain, identifier, version, environment });
  };
  for (const item of next) {
    const before = old.get(id(item));
    old.delete(id(item));
    if (before === undefined) {
      event('create', id(item), item.version ?? 0);
    } else if (before !== JSON.stringify(item)) {
      event('patch', id(item), item.version ?? 0);
    }
  }
  for (const gone of old.keys()) {
    event('delete', gone, 0);
  }
  return events;
}
