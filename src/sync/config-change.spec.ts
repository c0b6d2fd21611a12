import { configChangeFields } from './config-change.js';

describe(configChangeFields.name, () => {
  it('names a flag or segment change by environment, kind, identifier and version', () => {
    const event = { event: 'patch', domain: 'flag', identifier: 'dark-mode', version: 7 };
    expect(configChangeFields({ ...event, environment: 'env-1' })).toEqual({
      env: 'env-1',
      kind: 'flag',
      change: 'patch',
      identifier: 'dark-mode',
      version: 7,
    });
    const segment = { ...event, domain: 'target-segment', identifier: 'beta', environment: 'e' };
    expect(configChangeFields(segment)).toMatchObject({ kind: 'segment', identifier: 'beta' });
  });

  it('names an SDK key by fingerprint, never by its whole hash', () => {
    const hash = 'a'.repeat(64);
    const event = { event: 'apiKeyRemoved', domain: 'proxy', identifier: '', version: 0 };
    const fields = configChangeFields({
      ...event,
      environment: '',
      environments: ['e'],
      apiKey: hash,
    });
    expect(fields).toEqual({
      env: 'e',
      kind: 'sdk-key',
      change: 'delete',
      identifier: 'aaaaaaaaaaaa',
    });
  });
});
