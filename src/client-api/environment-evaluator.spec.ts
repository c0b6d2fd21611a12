import { FlagSet } from '../cache/flag-set.js';
import { SegmentSet } from '../cache/segment-set.js';
import type { FeatureConfig } from '../model/feature-config.js';
import { EnvironmentEvaluator } from './environment-evaluator.js';

const flag: FeatureConfig = {
  feature: 'theme',
  kind: 'json',
  state: 'on',
  offVariation: 'a',
  defaultServe: { variation: 'a' },
  variations: [{ identifier: 'a', value: '{"x":1}' }],
};

function evaluator(doubleEncodeJson = false): EnvironmentEvaluator {
  return new EnvironmentEvaluator(new FlagSet('v1', [flag]), new SegmentSet('v1', []), {
    doubleEncodeJson,
  });
}

describe('EnvironmentEvaluator', () => {
  it('answers a repeated target with the same bytes, evaluated once', () => {
    const e = evaluator();
    const first = e.all('h:u1', { identifier: 'u1' });
    expect(e.all('h:u1', { identifier: 'u1' })).toBe(first);
    expect(JSON.parse(first.toString())).toEqual([
      { flag: 'theme', identifier: 'a', kind: 'json', value: '{"x":1}' },
    ]);
  });

  it('keeps at most 10,000 targets per config version', () => {
    const e = evaluator();
    for (let i = 0; i < 10_050; i += 1) {
      e.all(`i:${i}`, { identifier: `u${i}` });
    }
    expect(e.memoised.targets).toBe(10_000);
  });

  it('memoises huge target headers under their hash, so keys cannot exhaust memory', () => {
    const e = evaluator();
    const huge = `h:${'x'.repeat(300_000)}`;
    e.all(e.keyOf(huge), { identifier: 'u' });
    expect(e.memoised.bytes).toBeLessThan(1_000);
  });

  it('double-encodes json values only when emulating the Go proxy', () => {
    const value = JSON.parse(evaluator(true).all('k', { identifier: 'u' }).toString())[0].value;
    expect(JSON.parse(value as string)).toBe('{"x":1}');
  });
});
