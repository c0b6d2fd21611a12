import { createServer } from 'node:net';
import {
  buildProxy,
  type ProxyProcess,
  startOfflineProxy,
  stopProxy,
} from '../support/built-proxy.js';
import { PRODUCTION_ENV_UUID, PRODUCTION_SERVER_SDK_KEY } from '../support/example-config.js';
import { freePort } from '../support/ports.js';
import { decodeProfile, listeningAddresses } from '../support/pprof.js';

const onLinux = process.platform === 'linux';

/** SDK reads in a loop, so a CPU profile has something of ff-relay's own to show. */
async function sdkLoad(base: string, until: Promise<unknown>): Promise<number> {
  const auth = await fetch(`${base}/client/auth`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ apiKey: PRODUCTION_SERVER_SDK_KEY }),
  });
  const { authToken } = (await auth.json()) as { authToken: string };
  const state = { done: false };
  void until.finally(() => (state.done = true));
  let requests = 0;
  while (!state.done) {
    const url = `${base}/client/env/${PRODUCTION_ENV_UUID}/target/u${requests}/evaluations`;
    const response = await fetch(url, { headers: { authorization: `Bearer ${authToken}` } });
    await response.arrayBuffer();
    requests += 1;
  }
  return requests;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

describe('PPROF: Go pprof endpoints on 127.0.0.1', () => {
  let proxy: ProxyProcess;
  let pprof = '';
  let base = '';

  beforeAll(async () => {
    await buildProxy();
    const port = await freePort();
    pprof = `http://127.0.0.1:${port}/debug/pprof`;
    ({ proxy, base } = await startOfflineProxy({ PPROF: 'true', PPROF_PORT: String(port) }));
  }, 120_000);
  afterAll(async () => {
    if (proxy.child.exitCode === null) {
      await stopProxy(proxy);
    }
  });

  it('answers a CPU profile of the requested seconds that decodes with samples', async () => {
    const answer = fetch(`${pprof}/profile?seconds=1`);
    const requests = await sdkLoad(base, answer);
    const response = await answer;
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="profile"');
    const profile = decodeProfile(Buffer.from(await response.arrayBuffer()));
    expect(profile.sampleTypes).toEqual(['sample/count', 'wall/nanoseconds', 'cpu/nanoseconds']);
    expect(profile.samples).toBeGreaterThan(0);
    expect(profile.totals[0]).toBeGreaterThan(0);
    expect(profile.totals[2]).toBeGreaterThan(0);
    console.log(`CPU profile of 1 s: ${profile.totals[0]} samples while serving ${requests} reads`);
  });

  it('answers the live heap, sampled since start', async () => {
    const response = await fetch(`${pprof}/heap`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="heap"');
    const profile = decodeProfile(Buffer.from(await response.arrayBuffer()));
    expect(profile.sampleTypes).toEqual(['inuse_objects/count', 'inuse_space/bytes']);
    expect(profile.samples).toBeGreaterThan(0);
    expect(profile.totals[1]).toBeGreaterThan(0);
    expect(profile.functions.length).toBeGreaterThan(0);
  });

  it.each(['abc', '0', '-1', '1.5', '301', '', '99999999999'])(
    'answers 400 for seconds=%j',
    async (seconds) => {
      const response = await fetch(`${pprof}/profile?seconds=${seconds}`);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ statusCode: 400, code: 'BAD_REQUEST' });
    },
  );

  it('answers 409 to a second CPU profile while one runs, 404 elsewhere, 405 to a POST', async () => {
    const first = fetch(`${pprof}/profile?seconds=3`);
    await expect
      .poll(async () => (await fetch(`${pprof}/profile?seconds=1`)).status, { timeout: 10_000 })
      .toBe(409);
    expect((await first).status).toBe(200);
    const missing = await fetch(`${pprof}/goroutine`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: 'NOT_FOUND' });
    expect((await fetch(`${pprof}/heap`, { method: 'POST' })).status).toBe(405);
    expect(await (await fetch(`${pprof}/`)).text()).toContain('/debug/pprof/heap');
  });

  it.runIf(onLinux)('listens on 127.0.0.1 only, besides PORT', () => {
    expect(listeningAddresses(proxy.child.pid ?? 0)).toEqual(
      [`0.0.0.0:${new URL(base).port}`, `127.0.0.1:${new URL(pprof).port}`].sort(),
    );
  });

  it('ends a profile under way at shutdown, and exits 0', async () => {
    const pending = fetch(`${pprof}/profile?seconds=300`).then(
      (r) => r.status,
      () => 'closed',
    );
    await expect.poll(async () => (await fetch(`${pprof}/profile?seconds=1`)).status).toBe(409);
    expect(await stopProxy(proxy)).toBe(0);
    expect(['closed', 503]).toContain(await pending);
  });
});

describe.runIf(onLinux)('without PPROF', () => {
  it('opens no port but PORT, not even with PPROF_PORT set', async () => {
    await buildProxy();
    const { proxy, base } = await startOfflineProxy({ PPROF_PORT: String(await freePort()) });
    try {
      expect(listeningAddresses(proxy.child.pid ?? 0)).toEqual([`0.0.0.0:${new URL(base).port}`]);
    } finally {
      await stopProxy(proxy);
    }
  });

  it('with PPROF=true alone, listens on 127.0.0.1:6060 as the Go proxy does', async (ctx) => {
    if (!(await portFree(6060))) {
      ctx.skip();
    }
    await buildProxy();
    const { proxy, base } = await startOfflineProxy({ PPROF: 'true' });
    try {
      expect(listeningAddresses(proxy.child.pid ?? 0)).toEqual(
        [`0.0.0.0:${new URL(base).port}`, '127.0.0.1:6060'].sort(),
      );
    } finally {
      await stopProxy(proxy);
    }
  });
});
