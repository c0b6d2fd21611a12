import type { Browser } from 'playwright-core';
import { ConfigReader } from '../../src/cache/config-reader.service.js';
import { StreamHub } from '../../src/stream/stream-hub.service.js';
import {
  type BrowserTarget,
  decodeTargetHeader,
  FlagsPage,
  launchChromium,
} from '../support/browser/flags-page.js';
import { type StaticServer, startStaticServer } from '../support/browser/static-server.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import {
  EXAMPLE_ENVIRONMENTS,
  EXPECTED_EVALUATIONS,
  type ExampleTarget,
  type ExpectedTargetEvaluations,
} from '../support/example-config.js';
import { OfflineConfigEditor } from '../support/offline-config-editor.js';

const PRODUCTION = EXAMPLE_ENVIRONMENTS.production;
const FLAGS = Object.keys(PRODUCTION.flags);
/** Generous: Chromium on a busy 2-core CI machine. */
const READY_TIMEOUT_MS = 20_000;
/** Far below the SDK's 60 s polling interval, so only the stream can deliver a change this fast. */
const PUSH_TIMEOUT_MS = 5_000;

function row(identifier: string): ExpectedTargetEvaluations {
  const found = EXPECTED_EVALUATIONS.production.find((r) => r.target.identifier === identifier);
  if (!found) {
    throw new Error(`no expected evaluations for ${identifier}`);
  }
  return found;
}

function browserTarget({ identifier, name, anonymous, attributes }: ExampleTarget): BrowserTarget {
  return { identifier, name, ...(anonymous === undefined ? {} : { anonymous }), attributes };
}

describe('unmodified @harnessio/ff-javascript-client-sdk in Chromium', { timeout: 60_000 }, () => {
  let browser: Browser;
  let site: StaticServer;
  let t: TestApp;
  const pages: FlagsPage[] = [];

  beforeAll(async () => {
    [browser, site] = await Promise.all([launchChromium(), startStaticServer()]);
  });
  // A fresh app (and flushed Redis DB) per test: the push test changes a flag.
  beforeEach(async () => {
    t = await createTestApp({}, { listen: true });
  });
  afterEach(async () => {
    await Promise.all(pages.splice(0).map((page) => page.close()));
    await t.close();
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  async function openPage(target: ExampleTarget): Promise<FlagsPage> {
    const proxyUrl = t.url ?? '';
    expect(new URL(site.url).origin).not.toBe(new URL(proxyUrl).origin);
    const page = await FlagsPage.open(browser, site.url, {
      proxyUrl,
      apiKey: PRODUCTION.clientSdkKey,
      target: browserTarget(target),
      flags: FLAGS,
    });
    pages.push(page);
    await expect
      .poll(async () => (await page.status()).ready, { timeout: READY_TIMEOUT_MS })
      .toBe(true);
    return page;
  }

  /**
   * The SDK's custom headers forced a preflight before each call, every preflight and response
   * passed CORS, and nothing failed or complained in the page.
   */
  function expectCleanCrossOriginRun(page: FlagsPage, ...paths: string[]): void {
    const preflights = [...page.preflights.values()];
    for (const path of ['/client/auth', ...paths]) {
      expect(preflights).toContainEqual({ path, status: 204 });
      expect(page.proxyResponses).toContainEqual(
        expect.objectContaining({ path, status: 200, allowOrigin: '*' }),
      );
    }
    expect(preflights.every(({ status }) => status === 204)).toBe(true);
    expect(page.proxyResponses.every(({ allowOrigin }) => allowOrigin === '*')).toBe(true);
    expect(page.problems).toEqual([]);
  }

  it.each([
    ['alice', 'in targets.json'],
    ['vip-vera', 'in targets.json, with number and boolean attributes'],
    ['anonymous-visitor', 'NOT in targets.json'],
  ])('shows exactly the expected value of every flag for %s (%s) after READY', async (id) => {
    const { target, values } = row(id);
    const page = await openPage(target);

    expect(await page.flags()).toEqual(values);
    // The SDK authenticated with the target and sent it again with the evaluations request.
    const [auth] = page.requestsTo('/client/auth');
    expect(auth?.postDataJSON()).toEqual({
      apiKey: PRODUCTION.clientSdkKey,
      target: browserTarget(target),
    });
    const evaluationsPath = `/client/env/${PRODUCTION.uuid}/target/${id}/evaluations`;
    const [evaluations] = page.requestsTo(evaluationsPath);
    const headers = await evaluations?.allHeaders();
    expect(decodeTargetHeader(headers?.['harness-target'])).toEqual(browserTarget(target));
    expectCleanCrossOriginRun(page, evaluationsPath);
  });

  it('pushes a flag changed in the cache into the page over SSE', async () => {
    const { target, values } = row('bob');
    const page = await openPage(target);
    const hub = t.app.get(StreamHub);
    await expect
      .poll(async () => (await page.status()).connected, { timeout: READY_TIMEOUT_MS })
      .toBe(true);
    expect(hub.connectionCount).toBe(1);
    expect((await page.flags())['legacy-reports']).toBe(false);
    // The SDK also emits `changed` for every flag of its first load.
    const changesBefore = (await page.status()).changed.length;

    const legacy = (await t.app.get(ConfigReader).flags(PRODUCTION.uuid)).get('legacy-reports');
    if (!legacy) {
      throw new Error('legacy-reports missing from the example config');
    }
    const changedAt = Date.now();
    await new OfflineConfigEditor(t.app).upsertFlag(PRODUCTION.uuid, {
      ...legacy,
      state: 'on',
      version: (legacy.version ?? 0) + 1,
    });
    await expect
      .poll(async () => (await page.flags())['legacy-reports'], {
        timeout: PUSH_TIMEOUT_MS,
        interval: 10,
      })
      .toBe(true);
    const status = await page.status();
    console.log(
      `browser SDK: flag change → DOM in ${status.renderedAt - changedAt} ms ` +
        `(cache write + SSE event + GET evaluations/legacy-reports + render)`,
    );

    expect(await page.flags()).toEqual({ ...values, 'legacy-reports': true });
    expect(status.changed.slice(changesBefore)).toEqual(['legacy-reports']);
    // Only an SSE `patch` event makes the SDK fetch a single evaluation; polls fetch the list.
    const single = `/client/env/${PRODUCTION.uuid}/target/bob/evaluations/legacy-reports`;
    expect(page.requestsTo(single)).toHaveLength(1);
    expect(status.events).not.toContain('polling');
    expect(hub.connectionCount).toBe(1);
    expectCleanCrossOriginRun(page, '/stream', single);
  });
});
