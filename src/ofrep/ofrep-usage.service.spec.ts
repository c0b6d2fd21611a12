import type { SdkMetricsBatch } from '../sdk-metrics/sdk-metrics-batch.js';
import type { SdkMetricsSink } from '../sdk-metrics/sdk-metrics-sink.js';
import { SdkMetricsService } from '../sdk-metrics/sdk-metrics.service.js';
import type { OfrepAnswer } from './ofrep-answers.js';
import { OfrepUsage } from './ofrep-usage.service.js';

class RecordingSink implements SdkMetricsSink {
  readonly batches: [string, SdkMetricsBatch][] = [];
  accept(env: string, batch: SdkMetricsBatch): void {
    this.batches.push([env, batch]);
  }
}

const ok = (key: string, variant: string): OfrepAnswer => ({
  key,
  value: true,
  reason: 'STATIC',
  variant,
  metadata: {},
});

describe(OfrepUsage.name, () => {
  it('hands counts per flag, variation and kind of request, and the targets seen, to the SDK-metrics intake', () => {
    const sink = new RecordingSink();
    const usage = new OfrepUsage(new SdkMetricsService(sink));
    const alice = { identifier: 'alice', name: 'Alice', attributes: { plan: 'pro', n: 2 } };
    usage.count('env-1', [ok('a', 'on')], alice, false);
    usage.count('env-1', [ok('a', 'on')], null, false);
    usage.count(
      'env-1',
      [ok('a', 'on'), ok('b', 'off'), { key: 'c', errorCode: 'GENERAL', errorDetails: '' }],
      alice,
      true,
    );
    usage.flush(1_000);
    expect(sink.batches).toHaveLength(1);
    const [env, batch] = sink.batches[0] ?? [];
    expect(env).toBe('env-1');
    const counts = batch?.metricsData?.map((entry) => [
      Object.fromEntries(entry.attributes.map((a) => [a.key, a.value])),
      entry.count,
    ]);
    expect(counts).toEqual([
      [
        expect.objectContaining({
          featureIdentifier: 'a',
          variationIdentifier: 'on',
          SDK_TYPE: 'server',
        }),
        2,
      ],
      [
        expect.objectContaining({
          featureIdentifier: 'a',
          variationIdentifier: 'on',
          SDK_TYPE: 'client',
        }),
        1,
      ],
      [
        expect.objectContaining({
          featureIdentifier: 'b',
          variationIdentifier: 'off',
          SDK_TYPE: 'client',
        }),
        1,
      ],
    ]);
    expect(batch?.targetData).toEqual([
      {
        identifier: 'alice',
        name: 'Alice',
        attributes: [
          { key: 'plan', value: 'pro' },
          { key: 'n', value: '2' },
        ],
      },
    ]);
    usage.flush();
    expect(sink.batches).toHaveLength(1);
  });
});
