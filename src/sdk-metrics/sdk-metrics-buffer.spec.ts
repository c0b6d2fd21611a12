import type { MetricsEntry, SdkMetricsBatch, TargetEntry } from './sdk-metrics-batch.js';
import { SdkMetricsBuffer } from './sdk-metrics-buffer.js';

const ENV_A = 'env-a';
const ENV_B = 'env-b';

function entry(
  flag: string,
  count: number,
  extra: Record<string, string | null> = {},
): MetricsEntry {
  const attributes = {
    featureIdentifier: flag,
    featureName: flag,
    variationIdentifier: 'true',
    target: 'user-1',
    SDK_TYPE: 'server',
    SDK_LANGUAGE: 'javascript',
    SDK_VERSION: '1.8.12',
    ...extra,
  };
  return {
    timestamp: 1_700_000_000_000 + count,
    count,
    metricsType: 'FFMETRICS',
    attributes: Object.entries(attributes).map(([key, value]) => ({ key, value })),
  };
}

const target = (identifier: string, name = identifier): TargetEntry => ({
  identifier,
  name,
  attributes: [{ key: 'email', value: `${identifier}@example.com` }],
});

const bytesOf = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

describe(SdkMetricsBuffer.name, () => {
  let clock: number;
  let buffer: SdkMetricsBuffer;
  beforeEach(() => {
    clock = 1000;
    buffer = new SdkMetricsBuffer(() => clock);
  });

  describe('metricsData', () => {
    it('sums counts per flag, variation, SDK language and version, keeping the first entry', () => {
      const first = entry('dark-mode', 2, { target: 'alice' });
      buffer.add(ENV_A, { metricsData: [first, entry('dark-mode', 3, { target: 'bob' })] });
      buffer.add(ENV_A, { metricsData: [entry('dark-mode', 5, { target: 'carol' })] });
      const [part] = buffer.drain().metricsData;
      expect(part?.entries).toEqual([{ ...first, count: 10 }]);
    });

    it.each([
      ['variation', { variationIdentifier: 'false' }],
      ['SDK language', { SDK_LANGUAGE: 'go' }],
      ['SDK version', { SDK_VERSION: '0.1.24' }],
    ])('keeps entries with another %s apart', (_part, extra) => {
      buffer.add(ENV_A, { metricsData: [entry('dark-mode', 1), entry('dark-mode', 1, extra)] });
      expect(buffer.drain().metricsData[0]?.entries).toHaveLength(2);
    });

    it('ignores attributes outside the key, such as target and SDK_TYPE', () => {
      buffer.add(ENV_A, {
        metricsData: [entry('f', 1), entry('f', 1, { target: null, SDK_TYPE: 'client' })],
      });
      expect(buffer.drain().metricsData[0]?.entries).toHaveLength(1);
    });

    it('falls back to featureName when there is no featureIdentifier', () => {
      const byName = entry('f', 4);
      byName.attributes = byName.attributes.filter((a) => a.key !== 'featureIdentifier');
      buffer.add(ENV_A, { metricsData: [entry('f', 1), byName] });
      expect(buffer.drain().metricsData[0]?.entries).toMatchObject([{ count: 5 }]);
    });

    it('does not let a dash in a flag make two keys collide', () => {
      buffer.add(ENV_A, {
        metricsData: [
          entry('a-b', 1, { variationIdentifier: 'c' }),
          entry('a', 1, { variationIdentifier: 'b-c' }),
        ],
      });
      expect(buffer.drain().metricsData[0]?.entries).toHaveLength(2);
    });

    it('never changes the SDK request nor rewrites attributes', () => {
      const batch: SdkMetricsBatch = { metricsData: [entry('f', 1), entry('f', 2)] };
      const copy = structuredClone(batch);
      buffer.add(ENV_A, batch);
      buffer.add(ENV_A, batch);
      expect(batch).toEqual(copy);
      expect(buffer.drain().metricsData[0]?.entries[0]?.attributes).toEqual(
        copy.metricsData?.[0]?.attributes,
      );
    });
  });

  describe('targetData', () => {
    it('concatenates per environment, keeping the first of identical identifiers', () => {
      buffer.add(ENV_A, { targetData: [target('u1', 'First'), target('u2')] });
      buffer.add(ENV_A, { targetData: [target('u1', 'Second'), target('u3')] });
      const [part] = buffer.drain().targetData;
      expect(part?.entries).toEqual([target('u1', 'First'), target('u2'), target('u3')]);
    });
  });

  it('keeps environments apart, one part per environment and kind', () => {
    buffer.add(ENV_A, { metricsData: [entry('f', 1)], targetData: [target('u1')] });
    buffer.add(ENV_B, { metricsData: [entry('f', 2)] });
    const drained = buffer.drain();
    expect(drained.metricsData.map((p) => [p.env, p.entries[0]?.count])).toEqual([
      [ENV_A, 1],
      [ENV_B, 2],
    ]);
    expect(drained.targetData.map((p) => p.env)).toEqual([ENV_A]);
  });

  it('empties on drain', () => {
    buffer.add(ENV_A, { metricsData: [entry('f', 1)], targetData: [target('u1')] });
    buffer.drain();
    expect(buffer.drain()).toEqual({ metricsData: [], targetData: [] });
    expect(buffer.retainedBytes).toBe(0);
  });

  describe('size accounting', () => {
    it('counts the JSON bytes of every request that adds something new', () => {
      const batch = { metricsData: [entry('f', 1)], targetData: [target('u1')] };
      buffer.add(ENV_A, batch);
      expect(buffer.pendingBytes).toBe(bytesOf(batch.metricsData) + bytesOf(batch.targetData));
      buffer.add(ENV_A, { metricsData: [entry('g', 1)] });
      expect(buffer.pendingBytes).toBe(
        bytesOf(batch.metricsData) + bytesOf(batch.targetData) + bytesOf([entry('g', 1)]),
      );
    });

    it('does not grow for a request that only adds to counts and targets already held', () => {
      buffer.add(ENV_A, { metricsData: [entry('f', 1)], targetData: [target('u1')] });
      const before = buffer.pendingBytes;
      buffer.add(ENV_A, { metricsData: [entry('f', 7)], targetData: [target('u1')] });
      expect(buffer.pendingBytes).toBe(before);
    });

    it('starts the flush trigger again from zero after a drain', () => {
      buffer.add(ENV_A, { metricsData: [entry('f', 1)] });
      buffer.drain();
      expect(buffer.pendingBytes).toBe(0);
    });
  });

  describe('retries', () => {
    it('merges a restored part with what arrived since, summing counts', () => {
      buffer.add(ENV_A, { metricsData: [entry('f', 1, { target: 'first' })] });
      const [failed] = buffer.drain().metricsData;
      buffer.add(ENV_A, { metricsData: [entry('f', 2, { target: 'later' })] });
      buffer.restore('metricsData', { ...failed!, failures: 1 });
      const [part] = buffer.drain().metricsData;
      expect(part).toMatchObject({ env: ENV_A, failures: 1 });
      expect(part?.entries).toMatchObject([{ count: 3 }]);
    });

    it('keeps restored bytes out of the flush trigger but in the retained size', () => {
      buffer.add(ENV_A, { targetData: [target('u1')] });
      const [failed] = buffer.drain().targetData;
      buffer.restore('targetData', failed!);
      expect(buffer.pendingBytes).toBe(0);
      expect(buffer.retainedBytes).toBe(bytesOf(failed?.entries));
    });

    it('evicts the oldest parts first until the size fits', () => {
      buffer.add(ENV_A, { targetData: [target('old')] });
      clock += 1;
      buffer.add(ENV_B, { targetData: [target('new')] });
      buffer.add(ENV_B, { metricsData: [entry('f', 1)] });
      const keep = buffer.retainedBytes - bytesOf([target('old')]);
      expect(buffer.evictOldest(keep)).toEqual([
        { kind: 'targetData', env: ENV_A, entries: 1, bytes: bytesOf([target('old')]) },
      ]);
      expect(buffer.retainedBytes).toBe(keep);
      expect(buffer.evictOldest(keep)).toEqual([]);
    });

    it('dates a merged part by its oldest data', () => {
      buffer.add(ENV_A, { targetData: [target('u1')] });
      const [failed] = buffer.drain().targetData;
      clock += 100;
      buffer.add(ENV_B, { targetData: [target('u2')] });
      buffer.add(ENV_A, { targetData: [target('u3')] });
      buffer.restore('targetData', failed!);
      expect(buffer.evictOldest(0).map((p) => p.env)).toEqual([ENV_A, ENV_B]);
    });
  });
});
