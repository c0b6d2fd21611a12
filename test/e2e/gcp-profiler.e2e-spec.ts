import {
  buildProxy,
  type ProxyProcess,
  startOfflineProxy,
  stopProxy,
} from '../support/built-proxy.js';
import { PRODUCTION_ENV_UUID, PRODUCTION_SERVER_SDK_KEY } from '../support/example-config.js';
import { freePort } from '../support/ports.js';
import { decodeProfile } from '../support/pprof.js';

interface LogLine {
  level?: string;
  time?: string;
  context?: string;
  service?: string;
  msg?: string;
}

/**
 * GCP_PROFILER_ENABLED on a machine with no GCP project, credentials or network (as here): the
 * agent looks for the GCP metadata server for a few seconds, gives up, and the relay says so once
 * while it serves SDKs all along.
 */
describe('GCP_PROFILER_ENABLED without GCP credentials', () => {
  let proxy: ProxyProcess;
  let base = '';
  let pprofPort = 0;

  beforeAll(async () => {
    await buildProxy();
    pprofPort = await freePort();
    ({ proxy, base } = await startOfflineProxy({
      GCP_PROFILER_ENABLED: 'true',
      ENV: 'e2e',
      PPROF: 'true',
      PPROF_PORT: String(pprofPort),
      ACCESS_LOG: 'false',
    }));
  }, 120_000);
  afterAll(async () => {
    if (proxy.child.exitCode === null) {
      await stopProxy(proxy);
    }
  });

  const lines = (): LogLine[] =>
    proxy
      .stdout()
      .split('\n')
      .filter((line) => line.startsWith('{"level"'))
      .map((line) => JSON.parse(line) as LogLine);

  it('serves SDKs at once, then warns once naming the service, and keeps serving', async () => {
    const auth = await fetch(`${base}/client/auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apiKey: PRODUCTION_SERVER_SDK_KEY }),
    });
    expect(auth.status).toBe(200);
    const { authToken } = (await auth.json()) as { authToken: string };
    await expect
      .poll(() => lines().filter((l) => l.context === 'GcpProfilerAgent'), { timeout: 30_000 })
      .toEqual([
        expect.objectContaining({
          level: 'warn',
          service: 'ff-proxy-v2-primary.e2e',
          msg: 'GCP_PROFILER_ENABLED: Cloud Profiler could not start; serving without it',
        }),
      ]);
    expect(lines().filter((l) => l.level === 'warn' || l.level === 'error')).toHaveLength(1);
    // The agent's search for a project never held the boot: the relay listened first.
    const listening = lines().find((l) => l.msg === 'ff-relay listening');
    const warned = lines().find((l) => l.context === 'GcpProfilerAgent');
    expect(Date.parse(listening?.time ?? '')).toBeLessThan(Date.parse(warned?.time ?? ''));
    const flags = await fetch(`${base}/client/env/${PRODUCTION_ENV_UUID}/feature-configs`, {
      headers: { authorization: `Bearer ${authToken}` },
    });
    expect(flags.status).toBe(200);
    expect(((await flags.json()) as unknown[]).length).toBeGreaterThan(0);
  });

  it('leaves the heap sampler to PPROF (the agent stops its own when it gives up)', async () => {
    const heap = await fetch(`http://127.0.0.1:${pprofPort}/debug/pprof/heap`);
    expect(heap.status).toBe(200);
    expect(decodeProfile(Buffer.from(await heap.arrayBuffer())).samples).toBeGreaterThan(0);
  });

  it('shuts down cleanly; stderr holds nothing of ff-relay’s, only the agent library’s', async () => {
    expect(await stopProxy(proxy)).toBe(0);
    expect(proxy.stderr()).not.toMatch(/ff-relay|"level"/);
  });
});
