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

/**
 * A read replica (listening) on `redisAddress`, pointed at `trap`: any request the trap records
 * is an upstream call a replica must never make. Resolves once it serves (`/health` 200).
 */
export async function startReadReplica(
  redisAddress: string,
  trap: UpstreamEmulator,
): Promise<TestApp> {
  const replica = await createTestApp(
    {
      OFFLINE: 'false',
      READ_REPLICA: 'true',
      REDIS_ADDRESS: redisAddress,
      CLIENT_SERVICE: trap.url,
      METRIC_SERVICE: trap.metricsUrl,
    },
    { listen: true, keepRedis: true },
  );
  const deadline = Date.now() + 30_000;
  // A plain loop, not expect.poll: this runs in beforeAll hooks.
  while ((await fetch(`${replica.url}/health`).then((r) => r.status)) !== 200) {
    if (Date.now() > deadline) {
      throw new Error('the read replica did not become ready');
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return replica;
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
