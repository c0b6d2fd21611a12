/**
 * The two settings of `stream:sdk_metrics`, the replicas' way to hand SDK metrics to the
 * primary: METRICS_STREAM_MAX_LEN bounds what replicas append, METRICS_STREAM_READ_CONCURRENCY
 * (or the Go spelling METRIC_…) is how many messages the primary takes per read.
 */
import type { Redis } from 'ioredis';
import { inject } from 'vitest';
import { CACHE_KEYS } from '../../src/cache/cache-keys.js';
import { STREAM_PREFIXES } from '../../src/metrics/metric-names.js';
import { SdkMetricsService } from '../../src/sdk-metrics/sdk-metrics.service.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { startPrimary, waitForSync } from '../support/primary.js';
import { parseScrape } from '../support/prometheus-text.js';
import { testRedisClient, testRedisDb } from '../support/redis.js';
import { RedisMonitor } from '../support/redis-monitor.js';
import { UpstreamEmulator } from '../support/upstream-emulator/upstream-emulator.js';

const ENV = '8b597a12-8eae-476d-ba41-0d9785b95e5a';

function batch(count: number) {
  const attributes = [
    { key: 'featureIdentifier', value: 'dark-mode' },
    { key: 'variationIdentifier', value: 'true' },
  ];
  return {
    metricsData: [{ timestamp: 1_700_000_000_000, count, metricsType: 'FFMETRICS', attributes }],
  };
}

describe('stream:sdk_metrics settings', () => {
  let t: TestApp | undefined;
  let plain: Redis;

  beforeEach(() => {
    plain = testRedisClient();
  });
  afterEach(async () => {
    await t?.close();
    t = undefined;
    plain.disconnect();
  });

  it('METRICS_STREAM_MAX_LEN: a replica appends with that MAXLEN, so the stream keeps the newest', async () => {
    t = await createTestApp({ READ_REPLICA: 'true', METRICS_STREAM_MAX_LEN: '3' });
    const metrics = t.app.get(SdkMetricsService);
    for (let count = 1; count <= 6; count += 1) {
      await metrics.accept(ENV, batch(count));
    }
    const counts = async () =>
      (await plain.xrange(CACHE_KEYS.sdkMetricsStream, '-', '+')).map(([, fields]) => {
        const message = JSON.parse(fields[1] ?? '{}') as ReturnType<typeof batch>;
        return message.metricsData[0]?.count;
      });
    await expect.poll(counts).toEqual([4, 5, 6]);
  });

  describe('on a primary', () => {
    let emulator: UpstreamEmulator;

    beforeAll(async () => {
      emulator = new UpstreamEmulator();
      await emulator.start();
    });
    afterAll(() => emulator.stop());

    it.each([
      ['METRICS_STREAM_READ_CONCURRENCY', '4'],
      ['METRIC_STREAM_READ_CONCURRENCY', '3'],
    ])(
      '%s=%s: the primary reads that many messages at a time, and all of them',
      async (name, n) => {
        const counts = new Set<string>();
        const monitor = await RedisMonitor.start(inject('redisPort'), ({ db, args }) => {
          if (args[0]?.toLowerCase() === 'xread' && args.includes(CACHE_KEYS.sdkMetricsStream)) {
            if (db === testRedisDb()) {
              counts.add(`${args[1]} ${args[2]}`);
            }
          }
        });
        try {
          t = await startPrimary(emulator, { [name]: n, METRIC_POST_DURATION: '3600' });
          await waitForSync(t);
          for (let i = 1; i <= 10; i += 1) {
            await plain.xadd(
              CACHE_KEYS.sdkMetricsStream,
              '*',
              'event',
              JSON.stringify({ environment_id: ENV, ...batch(i) }),
            );
          }
          await expect.poll(() => messagesRead(t as TestApp)).toBe(10);
          expect([...counts]).toEqual([`COUNT ${n}`]);
        } finally {
          monitor.stop();
        }
      },
    );
  });
});

async function messagesRead(t: TestApp): Promise<number> {
  const response = await t.app.inject({ method: 'GET', url: '/metrics' });
  return parseScrape(response.body).value(
    `${STREAM_PREFIXES.primaryMetricsConsumer}_messages_received`,
    { error: 'false' },
  );
}
