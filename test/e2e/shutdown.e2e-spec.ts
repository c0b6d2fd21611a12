import { connect, type Socket } from 'node:net';
import { buildProxy, type ProxyProcess, startOfflineProxy } from '../support/built-proxy.js';
import { PRODUCTION_SERVER_SDK_KEY } from '../support/example-config.js';
import { RedisServer } from '../support/redis-server.js';
import { SseClient } from '../support/sse-client.js';

/** SIGTERM on the compiled process, as Kubernetes sends it, timed. */
describe('graceful shutdown', () => {
  let proxy: ProxyProcess | undefined;
  let redis: RedisServer | undefined;

  beforeAll(() => buildProxy(), 60_000);
  afterEach(async () => {
    redis?.resume();
    proxy?.child.kill('SIGKILL');
    await proxy?.exited;
    await redis?.stop();
    redis = undefined;
  });

  async function start(env: Record<string, string>): Promise<string> {
    const started = await startOfflineProxy(env);
    proxy = started.proxy;
    return started.base;
  }

  /** A keep-alive connection that asked once and now sits idle, as SDK HTTP agents leave them. */
  async function idleKeepAlive(base: string): Promise<Socket> {
    const socket = connect({ host: '127.0.0.1', port: Number(new URL(base).port) });
    socket.on('error', () => undefined);
    await new Promise<void>((resolve) => {
      socket.once('connect', () => {
        socket.write('GET /health HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n');
      });
      socket.once('data', () => resolve());
    });
    return socket;
  }

  it('ends SDK streams and idle keep-alive connections and exits 0 at once', async () => {
    const base = await start({});
    const auth = await fetch(`${base}/client/auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apiKey: PRODUCTION_SERVER_SDK_KEY }),
    });
    const { authToken } = (await auth.json()) as { authToken: string };
    const stream = await SseClient.connect(`${base}/stream`, {
      headers: { authorization: `Bearer ${authToken}`, 'API-Key': PRODUCTION_SERVER_SDK_KEY },
    });
    await stream.waitFor(() => stream.heartbeats > 0);
    const idle = await idleKeepAlive(base);
    const idleClosed = new Promise((resolve) => idle.once('close', resolve));
    const started = Date.now();
    proxy?.child.kill('SIGTERM');
    expect(await proxy?.exited).toBe(0);
    const tookMs = Date.now() - started;
    expect((await stream.ended).kind).toBe('eof');
    await idleClosed;
    expect(tookMs).toBeLessThan(10_000);
    expect(proxy?.stdout()).toContain('shutting down');
  });

  it('exits by SHUTDOWN_TIMEOUT even when Redis hangs (torn down with the namespace)', async () => {
    redis = await RedisServer.start();
    await start({ REDIS_ADDRESS: redis.address, SHUTDOWN_TIMEOUT: '3s' });
    redis.pause();
    const started = Date.now();
    proxy?.child.kill('SIGTERM');
    await proxy?.exited;
    expect(Date.now() - started).toBeLessThan(12_000);
  });
});
