import { ProxyStatus } from '../../src/status/proxy-status.service.js';
import type { EnvInput } from '../../src/config/env-vars.js';
import { createTestApp, type TestApp, type TestAppOptions } from './create-test-app.js';
import type { UpstreamEmulator } from './upstream-emulator/upstream-emulator.js';

/**
 * A proxy in primary mode against the emulator, with the Harness minute-long intervals cut to
 * seconds so outage paths run quickly.
 */
export function startPrimary(
  emulator: UpstreamEmulator,
  env: EnvInput = {},
  options: TestAppOptions = {},
): Promise<TestApp> {
  return createTestApp(
    {
      OFFLINE: 'false',
      PROXY_KEY: emulator.proxyKey,
      CLIENT_SERVICE: emulator.url,
      METRIC_SERVICE: emulator.metricsUrl,
      UPSTREAM_POLL_INTERVAL: '1',
      UPSTREAM_STREAM_TIMEOUT: '2',
      ...env,
    },
    { listen: true, ...options },
  );
}

/** Waits until the proxy reports the given config and upstream stream states. */
export async function waitForSync(
  t: TestApp,
  config = 'SYNCED',
  stream = 'CONNECTED',
  timeout = 15_000,
): Promise<void> {
  const status = t.app.get(ProxyStatus);
  const wanted = `${config}/${stream}`;
  const deadline = Date.now() + timeout;
  let seen = '';
  // A plain loop rather than expect.poll: this also runs in beforeAll hooks.
  while ((seen = `${status.config.state}/${status.stream.state}`) !== wanted) {
    if (Date.now() > deadline) {
      throw new Error(`proxy status is ${seen}, expected ${wanted}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
