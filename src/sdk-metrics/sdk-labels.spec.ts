import { OTHER, SdkLabelBudget } from './sdk-labels.js';

describe(SdkLabelBudget.name, () => {
  it('keeps what real SDKs send', () => {
    const budget = new SdkLabelBudget();
    expect(budget.labels('server', '1.8.12', 'javascript')).toEqual({
      sdk_type: 'server',
      sdk_version: '1.8.12',
      sdk_language: 'javascript',
    });
    expect(budget.labels('client', 'v0.1.24-beta.1', 'Go').sdk_language).toBe('Go');
    expect(budget.labels('', '', '')).toEqual({ sdk_type: '', sdk_version: '', sdk_language: '' });
  });

  it('turns made-up values into "other"', () => {
    const budget = new SdkLabelBudget();
    expect(budget.labels('robot', `1.0.0-${'x'.repeat(100)}`, 'a language; DROP TABLE')).toEqual({
      sdk_type: OTHER,
      sdk_version: OTHER,
      sdk_language: OTHER,
    });
  });

  it('keeps at most 256 label sets however many versions a client invents', () => {
    const budget = new SdkLabelBudget();
    const versions = new Set<string>();
    for (let i = 0; i < 72_000; i += 1) {
      versions.add(budget.labels('server', `1.${i}.0`, 'go').sdk_version);
    }
    expect(versions.size).toBe(257);
    expect(versions.has(OTHER)).toBe(true);
  });
});
