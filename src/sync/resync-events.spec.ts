import type { EnvironmentConfig } from '../model/environment-config.js';
import type { FeatureConfig } from '../model/feature-config.js';
import { normaliseFlag } from '../model/normalise.js';
import { resyncEvents, type ServedEnvironment } from './resync-events.js';

const A = 'aaaaaaaa-0000-4000-8000-000000000001';
const B = 'bbbbbbbb-0000-4000-8000-000000000002';

function flag(feature: string, state: 'on' | 'off' = 'off', version = 1): FeatureConfig {
  return normaliseFlag({
    feature,
    state,
    version,
    kind: 'boolean',
    defaultServe: { variation: 'true' },
    offVariation: 'false',
    variations: [
      { identifier: 'true', value: 'true' },
      { identifier: 'false', value: 'false' },
    ],
    environment: 'dev',
    project: 'p',
  });
}

function env(id: string, featureConfigs: FeatureConfig[]): EnvironmentConfig {
  return { id, apiKeys: [], featureConfigs, segments: [], targets: [] };
}

function served(flags: FeatureConfig[], apiKeys: string[] = []): ServedEnvironment {
  return { flags, segments: [], apiKeys };
}

describe('resyncEvents', () => {
  it('announces only what changed, by content', () => {
    const before = new Map([[A, served([flag('same'), flag('changed'), flag('gone')])]]);
    const after = [env(A, [flag('same'), flag('changed', 'on', 2), flag('new')])];
    expect(
      resyncEvents(before, after).map((e) => `${e.event}:${e.identifier}:${e.version}`),
    ).toEqual(['patch:changed:2', 'create:new:1', 'delete:gone:0']);
  });

  it('announces nothing when a reload changes nothing', () => {
    const before = new Map([[A, served([flag('x')])]]);
    expect(resyncEvents(before, [env(A, [flag('x')])])).toEqual([]);
  });

  it('announces nothing for an environment not served before, all deletes for one that left', () => {
    const before = new Map([[B, served([flag('old')])]]);
    const events = resyncEvents(before, [env(A, [flag('x')])]);
    expect(events).toEqual([
      { event: 'delete', domain: 'flag', identifier: 'old', version: 0, environment: B },
    ]);
  });

  it('announces SDK keys added and removed meanwhile, for read replicas', () => {
    const before = new Map([[A, served([], ['old-hash', 'kept-hash'])]]);
    const after = [{ ...env(A, []), apiKeys: ['kept-hash', 'new-hash'] }];
    expect(
      resyncEvents(before, after).map(
        (e) => `${e.event}:${e.apiKey}:${e.environments?.join(',') ?? ''}`,
      ),
    ).toEqual([`apiKeyAdded:new-hash:${A}`, `apiKeyRemoved:old-hash:${A}`]);
  });

  it('creates the first flag of an environment that was served empty', () => {
    const before = new Map([[A, served([])]]);
    expect(resyncEvents(before, [env(A, [flag('x')])]).map((e) => e.event)).toEqual(['create']);
  });
});
