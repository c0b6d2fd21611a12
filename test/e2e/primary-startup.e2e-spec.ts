import { CACHE_KEYS, sha256Hex } from '../../src/cache/cache-keys.js';
import { memoryNeeded } from '../../src/common/memory-fit.js';
import type { FeatureConfig } from '../../src/model/feature-config.js';
import { MemoryFitService } from '../../src/sync/primary/memory-fit.service.js';
import { TEST_AUTH_SECRET, type TestApp } from '../support/create-test-app.js';
import { startPrimary, waitForSync } from '../support/primary.js';
import { testRedisClient } from '../support/redis.js';
import { authenticate, bearer, craftToken } from '../support/sdk-requests.js';
import { booleanFlag, environmentSeed } from '../support/upstream-emulator/fixtures.js';
import { UpstreamEmulator } from '../support/upstream-emulator/upstream-emulator.js';

describe('primary mode: startup', () => {
  let emulator: UpstreamEmulator;
  let t: TestApp | undefined;
  const seeds = Array.from({ length: 5 }, (_, i) =>
    environmentSeed({ featureConfigs: [booleanFlag(`flag-${i}`, { version: 3 })] }),
  );

  beforeEach(async () => {
    emulator = new UpstreamEmulator({ seed: { environments: seeds }, pageSize: 2 });
    await emulator.start();
  });
  afterEach(async () => {
    await t?.close();
    t = undefined;
    await emulator.stop();
  });

  it('authenticates, loads every page of /proxy/config and serves every environment', async () => {
    t = await startPrimary(emulator);
    await waitForSync(t);
    // Page 0 first (it tells how many there are), the others a few at a time.
    const pages = emulator.requests({ route: '/proxy/config' }).map((r) => r.query.pageNumber);
    expect(pages[0]).toBe('0');
    expect(new Set(pages.slice(0, 3))).toEqual(new Set(['0', '1', '2']));
    for (const [i, seed] of seeds.entries()) {
      const token = await authenticate(t.app, seed.apiKeys?.[0] ?? '');
      const response = await t.app.inject({
        url: `/client/env/${seed.id}/feature-configs`,
        headers: bearer(token),
      });
      expect(response.json<FeatureConfig[]>().map((f) => f.feature)).toEqual([`flag-${i}`]);
    }
  });

  it('writes the Harness key layout and names the inventory by the proxy key hash', async () => {
    t = await startPrimary(emulator);
    await waitForSync(t);
    const redis = testRedisClient();
    const seed = seeds[0];
    const keys = await redis.keys('*');
    redis.disconnect();
    expect(keys).toContain(CACHE_KEYS.authKey(sha256Hex(seed?.apiKeys?.[0] ?? '')));
    expect(keys).toContain(CACHE_KEYS.apiConfigs(seed?.id ?? ''));
    expect(keys).toContain(CACHE_KEYS.featureConfig(seed?.id ?? '', 'flag-0'));
    expect(keys).toContain(CACHE_KEYS.inventory(emulator.proxyKey));
    expect(keys.some((key) => key.includes(emulator.proxyKey))).toBe(false);
  });

  it('publishes the upstream stream state for replicas and Prometheus', async () => {
    t = await startPrimary(emulator);
    await waitForSync(t);
    const redis = testRedisClient();
    await expect
      .poll(async () => JSON.parse((await redis.get(CACHE_KEYS.streamHealth)) ?? '{}') as object)
      .toMatchObject({ state: 'CONNECTED', since: expect.any(Number) });
    redis.disconnect();
    const scrape = await t.app.inject({ url: '/metrics' });
    expect(scrape.body).toMatch(/^ff_proxy_stream_health\{host="[^"]+"\} 1$/m);
    expect(scrape.body).toMatch(/^ff_proxy_polling_status\{host="[^"]+"\} 0$/m);
  });

  it('knows what the loaded config needs, and whether a memory limit fits it', async () => {
    t = await startPrimary(emulator);
    await waitForSync(t);
    const fit = t.app.get(MemoryFitService);
    const mib = 1024 * 1024;
    const generous = fit.check(4096 * mib);
    expect(generous.fits).toBe(true);
    // The base, the streams the limit allows, and the five environments' lists.
    const streams = memoryNeeded({ configBytes: 0, streamLimit: t.config.sdkStreams.limit });
    expect(generous.neededBytes).toBeGreaterThan(streams);
    expect(fit.check(128 * mib)).toMatchObject({ fits: false, limitBytes: 128 * mib });
    expect(fit.check(null).fits).toBe(true);
  });

  it('serves nothing of a first load while one page fails, and all of it once that page answers', async () => {
    emulator.failPage(2);
    t = await startPrimary(emulator);
    const pageAsked = (n: string) =>
      emulator.requests({ route: '/proxy/config' }).filter((r) => r.query.pageNumber === n).length;
    await expect.poll(() => pageAsked('2'), { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    // Pages 0 and 1 arrived (and were written) every time, yet none of their environments is
    // served before the whole first load is in.
    const auth = await t.app.inject({
      method: 'POST',
      url: '/client/auth',
      payload: { apiKey: seeds[0]?.apiKeys?.[0] },
    });
    expect(auth.statusCode).toBe(503);
    emulator.servePages();
    await waitForSync(t);
    for (const seed of seeds) {
      await authenticate(t.app, seed.apiKeys?.[0] ?? '');
    }
  });

  it('answers 503 (not 401) until the first config is in place, then serves', async () => {
    await emulator.goDown('refuse');
    t = await startPrimary(emulator);
    const health = await t.app.inject({ url: '/health' });
    expect([500, 503]).toContain(health.statusCode);
    const auth = await t.app.inject({
      method: 'POST',
      url: '/client/auth',
      payload: { apiKey: seeds[0]?.apiKeys?.[0] },
    });
    expect(auth.statusCode).toBe(503);
    expect(auth.json()).toMatchObject({ code: 'NOT_READY' });
    // Every other SDK route too, even with a token signed by the shared secret.
    const seed = seeds[0];
    const token = craftToken(
      { apiKey: `auth-key-${sha256Hex(seed?.apiKeys?.[0] ?? '')}`, environment: seed?.id },
      { secret: TEST_AUTH_SECRET },
    );
    for (const url of [
      `/client/env/${seed?.id}/feature-configs`,
      `/client/env/${seed?.id}/target-segments?rules=v2`,
      `/client/env/${seed?.id}/target/t1/evaluations`,
      '/stream',
    ]) {
      const response = await t.app.inject({
        url,
        headers: { ...bearer(token), 'api-key': seed?.apiKeys?.[0] ?? '' },
      });
      expect([url, response.statusCode, response.json()]).toEqual([
        url,
        503,
        expect.objectContaining({ code: 'NOT_READY' }),
      ]);
    }
    expect((await t.app.inject({ url: '/livez' })).statusCode).toBe(200);
    await emulator.comeBack();
    await waitForSync(t);
    expect((await t.app.inject({ url: '/health' })).statusCode).toBe(200);
    await authenticate(t.app, seeds[0]?.apiKeys?.[0] ?? '');
  });

  it('keeps serving from a warm Redis when the upstream is down at start', async () => {
    t = await startPrimary(emulator);
    await waitForSync(t);
    await t.close();
    await emulator.goDown('refuse');
    t = await startPrimary(emulator, {}, { keepRedis: true });
    const seed = seeds[1];
    const token = await authenticate(t.app, seed?.apiKeys?.[0] ?? '');
    const flags = await t.app.inject({
      url: `/client/env/${seed?.id}/feature-configs`,
      headers: bearer(token),
    });
    expect(flags.json<FeatureConfig[]>().map((f) => f.feature)).toEqual(['flag-1']);
    await waitForSync(t, 'FAILED_TO_SYNC', 'DISCONNECTED');
    const health = await t.app.inject({ url: '/health' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toMatchObject({ configStatus: { state: 'FAILED_TO_SYNC' } });
  });
});
