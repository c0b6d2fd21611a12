import type { EnvInput } from '../../src/config/env-vars.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { PRODUCTION_SERVER_SDK_KEY } from '../support/example-config.js';
import { startPrimary, waitForSync } from '../support/primary.js';
import { authenticate } from '../support/sdk-requests.js';
import { environmentSeed } from '../support/upstream-emulator/fixtures.js';
import { UpstreamEmulator } from '../support/upstream-emulator/upstream-emulator.js';

const seed = environmentSeed();
const sdkKey = seed.apiKeys?.[0] ?? '';
const user = { identifier: 'user-1', name: 'User 1', attributes: { email: 'u@example.com' } };

describe('POST /client/auth with FORWARD_TARGETS', () => {
  let emulator: UpstreamEmulator;
  let t: TestApp | undefined;

  beforeAll(async () => {
    emulator = new UpstreamEmulator({ seed: { environments: [seed] } });
    await emulator.start();
  });
  afterAll(() => emulator.stop());
  beforeEach(() => emulator.clearRequests());
  afterEach(async () => {
    await emulator.comeBack();
    await t?.close();
    t = undefined;
  });

  async function boot(env: EnvInput): Promise<TestApp> {
    t = await startPrimary(emulator, env);
    await waitForSync(t);
    return t;
  }

  /** Closing the proxy waits for forwards still under way, so absence can be asserted. */
  async function forwardsAfterClose(app: TestApp) {
    await app.close();
    t = undefined;
    return emulator.requests({ method: 'POST', route: '/client/auth' });
  }

  it('re-sends the raw SDK key and the target to Harness', async () => {
    const app = await boot({ FORWARD_TARGETS: 'true' });
    await authenticate(app.app, sdkKey, user);
    await expect
      .poll(() => emulator.requests({ method: 'POST', route: '/client/auth' }), { timeout: 10_000 })
      .toMatchObject([{ status: 200, body: { apiKey: sdkKey, target: user } }]);
  });

  it('sends the name defaulted to the identifier, and no fields the SDK left out', async () => {
    const app = await boot({ FORWARD_TARGETS: 'true' });
    await authenticate(app.app, sdkKey, { identifier: 'anon-1' });
    const [forward] = await forwardsAfterClose(app);
    expect(forward?.body).toEqual({
      apiKey: sdkKey,
      target: { identifier: 'anon-1', name: 'anon-1' },
    });
  });

  it('forwards nothing when the SDK sends no target', async () => {
    const app = await boot({ FORWARD_TARGETS: 'true' });
    await authenticate(app.app, sdkKey);
    expect(await forwardsAfterClose(app)).toEqual([]);
  });

  it('does not fail the SDK’s auth when Harness refuses the forward', async () => {
    const app = await boot({ FORWARD_TARGETS: 'true' });
    await emulator.goDown('503');
    await authenticate(app.app, sdkKey, user);
    expect(await forwardsAfterClose(app)).toMatchObject([{ status: 503 }]);
  });

  it('forwards nothing when FORWARD_TARGETS is false (the default)', async () => {
    const app = await boot({});
    await authenticate(app.app, sdkKey, user);
    expect(await forwardsAfterClose(app)).toEqual([]);
  });

  it('forwards nothing offline, even with FORWARD_TARGETS=true', async () => {
    const app = await createTestApp({ FORWARD_TARGETS: 'true', CLIENT_SERVICE: emulator.url });
    t = app;
    await authenticate(app.app, PRODUCTION_SERVER_SDK_KEY, user);
    expect(await forwardsAfterClose(app)).toEqual([]);
  });
});
