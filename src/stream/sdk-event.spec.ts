import { eventFrame, eventJson } from './sdk-event.js';

describe(eventJson.name, () => {
  it('writes the fields in the Go proxy order with apiKey always present', () => {
    const json = eventJson({
      event: 'patch',
      domain: 'flag',
      identifier: 'dark-mode',
      version: 8,
      environment: '8b597a12-8eae-476d-ba41-0d9785b95e5a',
    });
    expect(json).toBe(
      '{"event":"patch","domain":"flag","identifier":"dark-mode","version":8,' +
        '"environment":"8b597a12-8eae-476d-ba41-0d9785b95e5a","apiKey":""}',
    );
  });

  it('includes environments only when non-empty', () => {
    const base = { event: 'environmentsRemoved', domain: 'proxy', identifier: '', version: 0 };
    expect(eventJson({ ...base, environment: '', environments: [] })).not.toContain(
      '"environments":',
    );
    expect(eventJson({ ...base, environment: '', environments: ['e1'] })).toContain(
      '"environments":["e1"]',
    );
  });
});

describe(eventFrame.name, () => {
  it('frames one event as `event: *`, a single-line data line and a blank line', () => {
    const frame = eventFrame({
      event: 'delete',
      domain: 'target-segment',
      identifier: 'beta',
      version: 2,
      environment: 'e',
    });
    expect(frame).toMatch(/^event: \*\ndata: \{[^\n]+\}\n\n$/);
  });
});
