import type { Client } from '@harnessio/ff-nodejs-server-sdk';
import type { FeatureConfig } from '../../src/model/feature-config.js';
import { StreamHub } from '../../src/stream/stream-hub.service.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { PRODUCTION_ENV_UUID, PRODUCTION_SERVER_SDK_KEY } from '../support/example-config.js';
import { nodeSdkClient } from '../support/node-sdk.js';
import { parseScrape } from '../support/prometheus-text.js';
import { OfflineConfigEditor } from '../support/offline-config-editor.js';

const SEED = 20_261_201;
const CHANGES = 36;
const TARGET = { identifier: 'max-age-tester', name: 'Max Age' };

/** mulberry32: a small seeded generator, so a failing schedule can be run again. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function stringFlag(feature: string, value: string, version: number): FeatureConfig {
  return {
    feature,
    kind: 'string',
    state: 'on',
    offVariation: 'only',
    defaultServe: { variation: 'only' },
    variations: [{ identifier: 'only', value }],
    version,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('GET /stream with SDK_STREAM_MAX_AGE and the unmodified Node server SDK', () => {
  let t: TestApp;
  const clients: Client[] = [];

  beforeAll(async () => {
    t = await createTestApp({ SDK_STREAM_MAX_AGE: '2s' }, { listen: true });
  });
  afterAll(async () => {
    clients.forEach((client) => client.close());
    await t.close();
  });

  async function scrapeValue(name: string, labels: Record<string, string> = {}): Promise<number> {
    return parseScrape((await t.app.inject({ url: '/metrics' })).body).value(name, labels);
  }

  /** What the SDKs evaluate differently from `expected`, as `client:flag=value` lines. */
  async function mismatches(expected: Map<string, string>): Promise<string[]> {
    const wrong: string[] = [];
    for (const [index, client] of clients.entries()) {
      for (const [flag, value] of expected) {
        const actual = await client.stringVariation(flag, TARGET, '<<default>>');
        if (actual !== value) {
          wrong.push(`sdk${index}:${flag}=${actual} (want ${value})`);
        }
      }
    }
    return wrong;
  }

  it(`loses no change while streams are ended by age and the SDKs reconnect (seed ${SEED})`, async () => {
    for (let i = 0; i < 2; i += 1) {
      const client = nodeSdkClient(PRODUCTION_SERVER_SDK_KEY, t.url ?? '', {
        enableAnalytics: false,
      });
      clients.push(client);
      await client.waitForInitialization();
    }
    const hub = t.app.get(StreamHub);
    await expect.poll(() => hub.connectionCount, { timeout: 10_000 }).toBe(clients.length);

    // Creates of new flags, and every third change a patch of the flag created two before, so
    // the last change of every flag is spread over the whole run: none is covered by a later
    // one. Nothing polls meanwhile (the SDK polls at most once a minute): each change reaches
    // the SDKs over a live stream or the replay their next stream starts with.
    const random = seeded(SEED);
    const expected = new Map<string, string>();
    const updater = new OfflineConfigEditor(t.app);
    for (let i = 0; i < CHANGES; i += 1) {
      const feature = i % 3 === 2 ? `max-age-${i - 2}` : `max-age-${i}`;
      const value = `change-${i}`;
      await updater.upsertFlag(PRODUCTION_ENV_UUID, stringFlag(feature, value, i + 1));
      expected.set(feature, value);
      await sleep(200 + Math.floor(random() * 800));
    }
    const endedByAge = await scrapeValue('ff_proxy_sdk_streams_ended_total', {
      reason: 'max_age',
    });
    // Each SDK was connected for ~2 s, then away 5–10 s (its own retry delay), repeatedly.
    expect(endedByAge).toBeGreaterThanOrEqual(clients.length);

    const converged = Date.now();
    await expect.poll(() => mismatches(expected), { timeout: 30_000, interval: 250 }).toEqual([]);
    console.info(
      `seed ${SEED}: ${CHANGES} changes, ${endedByAge} streams ended by age during them, ` +
        `SDKs had every change ${Date.now() - converged} ms after the last`,
    );
  }, 120_000);
});
