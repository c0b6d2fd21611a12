import type { Client } from '@harnessio/ff-nodejs-server-sdk';
import type { Browser } from 'playwright-core';
import { FlagsPage, launchChromium } from '../support/browser/flags-page.js';
import {
  OFREP_FILES,
  type StaticServer,
  startStaticServer,
} from '../support/browser/static-server.js';
import { StreamHub } from '../../src/stream/stream-hub.service.js';
import type { TestApp } from '../support/create-test-app.js';
import { EXAMPLE_ENVIRONMENTS, EXPECTED_EVALUATIONS } from '../support/example-config.js';
import { nextChange, nodeSdkClient } from '../support/node-sdk.js';
import { exampleSeed } from '../support/ofrep.js';
import { startPrimary, startReadReplica, waitForSync } from '../support/primary.js';
import { RedisServer } from '../support/redis-server.js';
import { UpstreamEmulator } from '../support/upstream-emulator/upstream-emulator.js';

const KINDS = EXAMPLE_ENVIRONMENTS.production.flags;
const FLAGS = Object.keys(KINDS);
const READY_TIMEOUT_MS = 20_000;
/** Far below any polling interval: polling is off anyway, only the event stream can bring it. */
const PUSH_TIMEOUT_MS = 5_000;
const CHANGES = 5;
const BULK = '/ofrep/v1/evaluate/flags';

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

describe(
  'unmodified @openfeature/web-sdk + ofrep-web-provider in Chromium, polling off',
  { timeout: 90_000 },
  () => {
    const seed = exampleSeed();
    const sdkKey = seed.apiKeys?.[0] ?? '';
    const alice = EXPECTED_EVALUATIONS.production[0];
    let browser: Browser;
    let site: StaticServer;
    let upstream: UpstreamEmulator;
    let trap: UpstreamEmulator;
    let redis: RedisServer;
    let t: TestApp;
    let replica: TestApp;
    let page: FlagsPage | undefined;

    beforeAll(async () => {
      redis = await RedisServer.start();
      upstream = new UpstreamEmulator({ seed: { environments: [seed] } });
      trap = new UpstreamEmulator({ seed: { environments: [] } });
      [browser, site] = await Promise.all([
        launchChromium(),
        startStaticServer(OFREP_FILES),
        upstream.start(),
        trap.start(),
      ]);
      t = await startPrimary(upstream, { REDIS_ADDRESS: redis.address }, { keepRedis: true });
      await waitForSync(t);
      replica = await startReadReplica(redis.address, trap);
    });
    afterAll(async () => {
      await page?.close();
      await browser?.close();
      await site?.close();
      await replica?.close();
      await t?.close();
      await Promise.all([upstream?.stop(), trap?.stop()]);
      await redis?.stop();
    });

    async function openPage(proxyUrl = t.url ?? ''): Promise<FlagsPage> {
      expect(new URL(site.url).origin).not.toBe(new URL(proxyUrl).origin);
      const target = alice?.target;
      const opened = await FlagsPage.open(browser, site.url, {
        proxyUrl,
        apiKey: sdkKey,
        target: {
          identifier: target?.identifier ?? '',
          name: target?.name ?? '',
          attributes: target?.attributes ?? {},
        },
        flags: FLAGS,
        kinds: KINDS,
      });
      await expect
        .poll(async () => (await opened.status()).ready, { timeout: READY_TIMEOUT_MS })
        .toBe(true);
      return opened;
    }

    it('evaluates every flag from another origin, and an upstream change arrives over the event stream about as fast as to a Harness Node SDK', async () => {
      page = await openPage();
      expect(await page.flags()).toEqual(alice?.values);
      const details = await page.details();
      expect(Object.values(details).filter((d) => d.errorCode !== undefined)).toEqual([]);
      expect(details['dark-mode']).toEqual({ variant: 'true', reason: 'TARGETING_MATCH' });

      const harness: Client = nodeSdkClient(sdkKey, t.url ?? '');
      await harness.waitForInitialization();
      // The page's stream is open: its first bytes are in.
      await expect.poll(() => page?.requestsTo('/ofrep/v1/events').length).toBe(1);
      const pageMs: number[] = [];
      const sdkMs: number[] = [];
      try {
        for (let i = 1; i <= CHANGES; i += 1) {
          const state = i % 2 === 1 ? 'on' : 'off';
          const renderedBefore = (await page.status()).renderedAt;
          const sdkChanged = nextChange(harness, PUSH_TIMEOUT_MS).then(() => Date.now());
          const changedAt = Date.now();
          upstream.toggleFlag(seed.id, 'legacy-reports', state);
          await expect
            .poll(async () => (await page?.flags())?.['legacy-reports'], {
              timeout: PUSH_TIMEOUT_MS,
              interval: 10,
            })
            .toBe(state === 'on');
          const status = await page.status();
          expect(status.renderedAt).toBeGreaterThan(renderedBefore);
          pageMs.push(status.renderedAt - changedAt);
          sdkMs.push((await sdkChanged) - changedAt);
        }
      } finally {
        harness.close();
      }
      console.log(
        `upstream change → OFREP web provider (DOM) median ${median(pageMs)} ms [${pageMs.join(', ')}]; ` +
          `→ Harness Node SDK (changed event) median ${median(sdkMs)} ms [${sdkMs.join(', ')}]`,
      );

      const status = await page.status();
      expect(status.events).not.toContain('PROVIDER_ERROR');
      expect(status.changed.filter((flag) => flag === 'legacy-reports')).toHaveLength(CHANGES);
      // One stream the whole time, and one bulk refetch per change, each naming what triggered it.
      expect(page.requestsTo('/ofrep/v1/events')).toHaveLength(1);
      const refetches = page.requestsTo(BULK).slice(1);
      expect(refetches).toHaveLength(CHANGES);
      refetches.forEach((request) =>
        expect(new URL(request.url()).searchParams.get('flagConfigEtag')).toMatch(/^[0-9a-f]{32}$/),
      );
      const preflights = [...page.preflights.values()];
      expect(preflights).toContainEqual({ path: BULK, status: 204 });
      expect(preflights.every(({ status: code }) => code === 204)).toBe(true);
      expect(page.proxyResponses.every(({ allowOrigin }) => allowOrigin === '*')).toBe(true);
      expect(page.proxyResponses).toContainEqual(
        expect.objectContaining({ path: '/ofrep/v1/events', status: 200 }),
      );
      expect(page.problems).toEqual([]);
    });

    it('works the same from a read replica: every flag, and an upstream change pushed over its event stream', async () => {
      page ??= await openPage();
      const onReplica = await openPage(replica.url ?? '');
      try {
        // What the primary serves now (the test before changed legacy-reports).
        expect(await onReplica.flags()).toEqual(await page.flags());
        await expect.poll(() => onReplica.requestsTo('/ofrep/v1/events').length).toBe(1);
        const before = (await onReplica.flags())['legacy-reports'];
        upstream.toggleFlag(seed.id, 'legacy-reports', before ? 'off' : 'on');
        await expect
          .poll(async () => (await onReplica.flags())['legacy-reports'], {
            timeout: PUSH_TIMEOUT_MS,
          })
          .toBe(!before);
        expect((await onReplica.status()).events).not.toContain('PROVIDER_ERROR');
        expect(onReplica.problems).toEqual([]);
        expect(trap.requests()).toEqual([]);
      } finally {
        await onReplica.close();
      }
    });

    it('catches up on a change made while its stream was down: the browser reconnects with Last-Event-ID', async () => {
      page ??= await openPage();
      await expect.poll(() => page?.requestsTo('/ofrep/v1/events').length).toBeGreaterThan(0);
      const streamsBefore = page.requestsTo('/ofrep/v1/events').length;
      const before = (await page.flags())['legacy-reports'];
      // Every stream of the environment ends (as at max age, or when an instance goes away); the
      // change happens before the browser is back (it waits the `retry: 2000` it was sent).
      t.app.get(StreamHub).closeEnvironment(seed.id);
      upstream.toggleFlag(seed.id, 'legacy-reports', before === true ? 'off' : 'on');
      await expect
        .poll(async () => (await page?.flags())?.['legacy-reports'], {
          timeout: 15_000,
          interval: 50,
        })
        .toBe(before !== true);
      const streams = page.requestsTo('/ofrep/v1/events');
      expect(streams).toHaveLength(streamsBefore + 1);
      const headers = await streams.at(-1)?.allHeaders();
      expect(headers?.['last-event-id']).toMatch(/^[0-9a-f]{32}$/);
      expect((await page.status()).events).not.toContain('PROVIDER_ERROR');
    });
  },
);
