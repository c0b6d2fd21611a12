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

describe(`${eventFrame.name} with hostile identifiers`, () => {
  it('keeps CR/LF inside the JSON: one data line, no injected event', () => {
    const frame = eventFrame({
      event: 'patch',
      domain: 'flag',
      identifier: 'x\r\n\ndata: {"event":"delete"}\n\nevent: injected',
      version: 1,
      environment: 'env',
    });
    expect(frame.split('\n').filter((line) => line.startsWith('data:'))).toHaveLength(1);
    expect(frame.endsWith('}\n\n')).toBe(true);
    expect(frame.slice(0, -2)).not.toContain('\n\n');
  });
});
