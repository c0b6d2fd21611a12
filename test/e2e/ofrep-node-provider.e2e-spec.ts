import { OFREPProvider } from '@openfeature/ofrep-provider';
import {
  type Client,
  type EvaluationContext,
  type EvaluationDetails,
  type FlagValue,
  OpenFeature,
} from '@openfeature/server-sdk';
import type { Evaluation } from '../../src/model/evaluation.js';
import { OfrepUsage } from '../../src/ofrep/ofrep-usage.service.js';
import type { MetricsEntry } from '../../src/sdk-metrics/sdk-metrics-batch.js';
import { SdkMetricsForwarder } from '../../src/sdk-metrics/sdk-metrics-forwarder.service.js';
import type { TestApp } from '../support/create-test-app.js';
import {
  contextOf,
  exampleSeed,
  harnessEvaluations,
  manyTargets,
  type TestTarget,
  typedValue,
} from '../support/ofrep.js';
import { startPrimary, startReadReplica, waitForSync } from '../support/primary.js';
import { RedisServer } from '../support/redis-server.js';
import { SseClient } from '../support/sse-client.js';
import { UpstreamEmulator } from '../support/upstream-emulator/upstream-emulator.js';

const seed = exampleSeed();
const sdkKey = seed.apiKeys?.[0] ?? '';
const TARGETS = manyTargets(40);

type Details = EvaluationDetails<FlagValue>;
type EventStreams = { eventStreams: { endpoint: { requestUri: string } }[] };

/** The OpenFeature answer for a flag, asked with the method of its Harness kind. */
function detailsOf(
  client: Client,
  evaluation: Evaluation,
  context: EvaluationContext,
): Promise<Details> {
  const flag = evaluation.flag;
  switch (evaluation.kind) {
    case 'boolean':
      return client.getBooleanDetails(flag, false, context);
    case 'int':
      return client.getNumberDetails(flag, -1, context);
    case 'json':
      return client.getObjectDetails(flag, {}, context);
    default:
      return client.getStringDetails(flag, '<default>', context);
  }
}

/** The SDK-metrics the upstream received from OFREP evaluations, summed. */
function forwardedOfrepCount(upstream: UpstreamEmulator): number {
  return upstream
    .requests({ route: `/metrics/${seed.id}` })
    .flatMap((r) => (r.body as { metricsData?: MetricsEntry[] }).metricsData ?? [])
    .filter((e) => e.attributes.some((a) => a.key === 'SDK_NAME' && a.value === 'ofrep'))
    .reduce((sum, e) => sum + e.count, 0);
}

describe('POST /ofrep/v1/evaluate/flags/:key with the unmodified OpenFeature Node provider', () => {
  let redis: RedisServer;
  let upstream: UpstreamEmulator;
  let trap: UpstreamEmulator;
  let primary: TestApp;
  let replica: TestApp;
  let evaluated = 0;

  beforeAll(async () => {
    redis = await RedisServer.start();
    upstream = new UpstreamEmulator({ seed: { environments: [seed] } });
    trap = new UpstreamEmulator({ seed: { environments: [] } });
    await Promise.all([upstream.start(), trap.start()]);
    primary = await startPrimary(upstream, { REDIS_ADDRESS: redis.address }, { keepRedis: true });
    await waitForSync(primary);
    replica = await startReadReplica(redis.address, trap);
  });
  afterAll(async () => {
    await OpenFeature.close();
    await replica?.close();
    await primary?.close();
    await Promise.all([upstream?.stop(), trap?.stop(), redis?.stop()]);
  });

  async function clientOn(name: string, url: string, key = sdkKey): Promise<Client> {
    await OpenFeature.setProviderAndWait(
      name,
      new OFREPProvider({ baseUrl: url, headers: [['X-API-Key', key]] }),
    );
    return OpenFeature.getClient(name);
  }

  /** Every flag for every target through the provider, against the Harness route's answers. */
  async function compare(client: Client, url: string, targets: readonly TestTarget[]) {
    const mismatches: string[] = [];
    const reasons = new Set<string>();
    for (const target of targets) {
      const harness = await harnessEvaluations(url, sdkKey, seed.id, target);
      for (const evaluation of harness) {
        const details = await detailsOf(client, evaluation, contextOf(target));
        evaluated += 1;
        reasons.add(details.reason ?? '');
        const want = { value: typedValue(evaluation), variant: evaluation.identifier };
        const got = { value: details.value, variant: details.variant };
        if (details.errorCode || JSON.stringify(want) !== JSON.stringify(got)) {
          mismatches.push(
            `${target.identifier}/${evaluation.flag}: harness ${JSON.stringify(want)}, ` +
              `ofrep ${JSON.stringify(got)} ${details.errorCode ?? ''} ${details.errorMessage ?? ''}`,
          );
        }
      }
    }
    return { mismatches, reasons };
  }

  it.each(['primary', 'replica'] as const)(
    'on the %s, answers every kind of flag for many targets as the Harness route does',
    async (which) => {
      const url = (which === 'primary' ? primary.url : replica.url) ?? '';
      const client = await clientOn(which, url);
      const { mismatches, reasons } = await compare(client, url, TARGETS);
      expect(mismatches).toEqual([]);
      // The example environment reaches every decision path but a static flag.
      expect([...reasons].sort()).toEqual(['DEFAULT', 'DISABLED', 'SPLIT', 'TARGETING_MATCH']);
    },
    120_000,
  );

  it('reports unknown flags, missing targeting keys and wrong keys as the provider expects', async () => {
    const client = await clientOn('errors', replica.url ?? '');
    const unknown = await client.getBooleanDetails('no-such-flag', true, { targetingKey: 'x' });
    expect(unknown).toMatchObject({ value: true, reason: 'ERROR', errorCode: 'FLAG_NOT_FOUND' });
    const anonymous = await client.getBooleanDetails('dark-mode', true, {});
    expect(anonymous).toMatchObject({ value: true, errorCode: 'TARGETING_KEY_MISSING' });
    // A flag that serves everyone alike needs no targeting key.
    const off = await client.getBooleanDetails('legacy-reports', true, {});
    expect(off).toMatchObject({ value: false, reason: 'DISABLED', variant: 'false' });
    const wrong = await clientOn('wrong-key', replica.url ?? '', 'not-a-key');
    const refused = await wrong.getBooleanDetails('dark-mode', true, { targetingKey: 'x' });
    // The provider keeps no message for a 401: the status itself is checked in ofrep.e2e-spec.
    expect(refused).toMatchObject({ value: true, reason: 'ERROR', errorCode: 'GENERAL' });
  });

  it('counts OFREP evaluations into the SDK-metrics pipeline: replica → Redis → primary → upstream', async () => {
    expect(evaluated).toBeGreaterThan(0);
    // One more success in the error test (legacy-reports): failures are not counted.
    const expected = evaluated + 1;
    replica.app.get(OfrepUsage).flush();
    primary.app.get(OfrepUsage).flush();
    await expect
      .poll(async () => {
        await primary.app.get(SdkMetricsForwarder).flush();
        return forwardedOfrepCount(upstream);
      })
      .toBe(expected);
  });

  it('announces an upstream change on the event streams of the primary and the replica, with the same id', async () => {
    const streams = await Promise.all(
      [primary, replica].map(async (app) => {
        const response = await fetch(`${app.url}/ofrep/v1/evaluate/flags`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': sdkKey },
          body: JSON.stringify({ context: { targetingKey: 'stream-user' } }),
        });
        const body = (await response.json()) as EventStreams;
        const stream = await SseClient.connect(
          `${app.url}${body.eventStreams[0]?.endpoint.requestUri}`,
        );
        await stream.waitFor(() => stream.heartbeats > 0);
        return stream;
      }),
    );
    try {
      upstream.toggleFlag(seed.id, 'legacy-reports', 'on');
      const [onPrimary, onReplica] = await Promise.all(
        streams.map((stream) => stream.next(10_000)),
      );
      expect(onReplica?.id).toBe(onPrimary?.id);
      expect(JSON.parse(onReplica?.data ?? '{}')).toMatchObject({
        type: 'refetchEvaluation',
        etag: onPrimary?.id,
      });
      const client = OpenFeature.getClient('replica');
      const served = await client.getBooleanDetails('legacy-reports', false, { targetingKey: 'x' });
      expect(served.reason).not.toBe('DISABLED');
    } finally {
      streams.forEach((stream) => stream.close());
      upstream.toggleFlag(seed.id, 'legacy-reports', 'off');
    }
  });
});
