import { connect } from 'node:net';
import { buildProxy, type ProxyProcess, startOfflineProxy } from '../support/built-proxy.js';
import { freePort } from '../support/ports.js';
import { RedisServer } from '../support/redis-server.js';
import { Instance, TOPOLOGY_AUTH_SECRET } from '../support/topology.js';
import { UpstreamEmulator } from '../support/upstream-emulator/upstream-emulator.js';

/** A probe as the kubelet sends it: one GET with a deadline; undefined when none came back. */
async function probe(url: string, path: string, timeoutMs = 2_000): Promise<number | undefined> {
  const response = await fetch(`${url}${path}`, { signal: AbortSignal.timeout(timeoutMs) }).catch(
    () => undefined,
  );
  return response?.status;
}

/** Whether a TCP connection is accepted: all a `tcpSocket` probe checks. */
function tcpAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('GET /livez (the liveness probe)', () => {
  const processes: ProxyProcess[] = [];
  let redis: RedisServer | undefined;

  beforeAll(() => buildProxy(), 90_000);
  afterEach(async () => {
    for (const proxy of processes.splice(0)) {
      proxy.child.kill('SIGCONT');
      proxy.child.kill('SIGKILL');
      await proxy.exited;
    }
    await redis?.stop();
    redis = undefined;
  });

  it('answers while Redis is hung (SIGSTOP): it asks nothing of Redis', async () => {
    redis = await RedisServer.start();
    const { proxy, base } = await startOfflineProxy({
      REDIS_ADDRESS: redis.address,
      REDIS_READ_TIMEOUT: '1s',
    });
    processes.push(proxy);
    redis.pause();
    try {
      // The health check finds the cache unhealthy: Redis is really out of the picture.
      await expect
        .poll(
          async () =>
            ((await (await fetch(`${base}/health`)).json()) as { cacheStatus?: string })
              .cacheStatus,
          { timeout: 30_000 },
        )
        .toBe('unhealthy');
      for (let i = 0; i < 5; i++) {
        expect(await probe(base, '/livez')).toBe(200);
      }
    } finally {
      redis.resume();
    }
  }, 60_000);

  it('answers on a primary whose upstream is down, which is not ready', async () => {
    redis = await RedisServer.start();
    const upstream = new UpstreamEmulator({ seed: { environments: [] } });
    await upstream.start();
    await upstream.goDown('refuse');
    const primary = new Instance('primary', await freePort(), {
      REDIS_ADDRESS: redis.address,
      AUTH_SECRET: TOPOLOGY_AUTH_SECRET,
      PROXY_KEY: upstream.proxyKey,
      CLIENT_SERVICE: upstream.url,
      METRIC_SERVICE: upstream.metricsUrl,
      LOG_LEVEL: 'ERROR',
    });
    try {
      await primary.launch();
      expect(await probe(primary.url, '/livez')).toBe(200);
      expect([500, 503]).toContain(await primary.health());
    } finally {
      await primary.kill();
      await upstream.stop();
    }
  }, 60_000);

  it('is not answered by a stopped relay (SIGSTOP), which still accepts TCP connections', async () => {
    const { proxy, base } = await startOfflineProxy();
    processes.push(proxy);
    const port = Number(new URL(base).port);
    expect(await probe(base, '/livez')).toBe(200);
    proxy.child.kill('SIGSTOP');
    // The kernel completes the handshake for a stopped process: a TCP probe would pass.
    expect(await tcpAccepts(port)).toBe(true);
    expect(await probe(base, '/livez', 1_500)).toBeUndefined();
    proxy.child.kill('SIGCONT');
    await expect.poll(() => probe(base, '/livez'), { timeout: 10_000 }).toBe(200);
  }, 60_000);
});
