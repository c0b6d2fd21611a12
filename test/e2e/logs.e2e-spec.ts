import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import {
  buildProxy,
  type ProxyProcess,
  startOfflineProxy,
  stopProxy,
} from '../support/built-proxy.js';
import { PRODUCTION_ENV_UUID, PRODUCTION_SERVER_SDK_KEY } from '../support/example-config.js';

const RFC_3339_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

interface LogLine {
  level: string;
  time: string;
  msg: string;
  context?: string;
  [field: string]: unknown;
}

/** The compiled relay, as log pipelines see it: one JSON object per line. */
describe('logs', () => {
  const running: ProxyProcess[] = [];
  beforeAll(() => buildProxy(), 60_000);
  afterAll(async () => {
    for (const proxy of running) {
      proxy.child.kill('SIGKILL');
      await proxy.exited;
    }
  });

  async function start(env: Record<string, string> = {}) {
    const started = await startOfflineProxy(env);
    running.push(started.proxy);
    return started;
  }

  const lines = (proxy: ProxyProcess): LogLine[] =>
    proxy
      .stdout()
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => JSON.parse(line) as LogLine);

  async function token(base: string): Promise<string> {
    const auth = await fetch(`${base}/client/auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apiKey: PRODUCTION_SERVER_SDK_KEY }),
    });
    return ((await auth.json()) as { authToken: string }).authToken;
  }

  it('writes JSON lines with text levels, RFC 3339 times and one access line per request', async () => {
    const { proxy, base } = await start();
    const authToken = await token(base);
    const headers = { authorization: `Bearer ${authToken}`, 'x-request-id': 'trace-me-1' };
    await fetch(`${base}/client/env/${PRODUCTION_ENV_UUID}/feature-configs`, { headers });
    await fetch(`${base}/client/env/${PRODUCTION_ENV_UUID}/feature-configs`);
    await fetch(`${base}/no/such/route`);
    await fetch(`${base}/health`);
    await fetch(`${base}/livez`);
    // Refused before it is held: answered, and logged once, as any request.
    await fetch(`${base}/stream`, { headers: { 'api-key': PRODUCTION_SERVER_SDK_KEY } });
    const controller = new AbortController();
    const stream = await fetch(`${base}/stream`, {
      headers: { authorization: `Bearer ${authToken}`, 'api-key': PRODUCTION_SERVER_SDK_KEY },
      signal: controller.signal,
    });
    expect(stream.status).toBe(200);
    controller.abort();

    await expect
      .poll(() => lines(proxy).filter((l) => l.route === '/stream').length, { timeout: 10_000 })
      .toBe(2);
    const all = lines(proxy);
    for (const line of all) {
      expect(['debug', 'info', 'warn', 'error', 'fatal']).toContain(line.level);
      expect(line.time).toMatch(RFC_3339_UTC);
    }
    const access = all.filter((l) => l.context === 'http');
    expect(access.map((l) => [l.method, l.route, l.status])).toEqual([
      ['POST', '/client/auth', 200],
      ['GET', '/client/env/:environment_uuid/feature-configs', 200],
      ['GET', '/client/env/:environment_uuid/feature-configs', 401],
      ['GET', '', 404],
      ['GET', '/stream', 401],
      ['GET', '/stream', 200],
    ]);
    expect(access[1]).toMatchObject({
      level: 'info',
      msg: 'request',
      requestId: 'trace-me-1',
      env: PRODUCTION_ENV_UUID,
      ip: '127.0.0.1',
    });
    for (const line of access) {
      expect(typeof line.latencyMs).toBe('number');
      expect(line.requestId).toEqual(expect.any(String));
      // The stream's line too, though it is written once its socket has closed.
      expect(line.ip).toBe('127.0.0.1');
    }
    // Nest's boot chatter (a line per module and route) is below INFO.
    expect(
      all.filter((l) => ['InstanceLoader', 'RouterExplorer'].includes(l.context ?? '')),
    ).toEqual([]);
    // Neither the token nor the concrete path (it may carry target identifiers) is logged.
    expect(proxy.stdout()).not.toContain(authToken);
    expect(proxy.stdout()).not.toContain('/no/such/route');
    expect(all.find((l) => l.msg === 'ff-relay listening')).toMatchObject({ context: 'FfRelay' });
  });

  it('follows one request at DEBUG: the token check, with no secret and no "err":null', async () => {
    const { proxy, base } = await start({ LOG_LEVEL: 'DEBUG' });
    const authToken = await token(base);
    const url = `${base}/client/env/${PRODUCTION_ENV_UUID}/feature-configs`;
    await fetch(url, { headers: { authorization: `Bearer ${authToken}` } });
    await fetch(url, { headers: { authorization: 'Bearer not-a-jwt' } });
    await stopProxy(proxy);
    const all = lines(proxy);
    expect(all.some((l) => l.context === 'InstanceLoader' && l.level === 'debug')).toBe(true);
    expect(all.find((l) => l.msg === 'sdk token verified: cached')).toMatchObject({
      level: 'debug',
      env: PRODUCTION_ENV_UUID,
    });
    expect(all.find((l) => l.msg === 'cache hit in memory')).toMatchObject({
      level: 'debug',
      context: 'ConfigReader',
      key: `env-${PRODUCTION_ENV_UUID}-feature-configs`,
    });
    const rejected = all.find((l) => l.msg === 'sdk token rejected');
    expect(rejected).toMatchObject({ level: 'debug', reason: 'jwt malformed' });
    expect(rejected).not.toHaveProperty('err');
    expect(proxy.stdout()).not.toContain('"err":null');
    expect(proxy.stdout()).not.toContain(authToken);
    expect(all.filter((line) => typeof line.context !== 'string')).toEqual([]);
  });

  it('leaves requests out with ACCESS_LOG=false and everything below error out with LOG_LEVEL=ERROR', async () => {
    const quiet = await start({ ACCESS_LOG: 'false' });
    await token(quiet.base);
    const silent = await start({ LOG_LEVEL: 'ERROR' });
    await token(silent.base);
    // Stopped first: an access line is written after its answer, so only the end of the
    // process says that none is coming.
    await Promise.all([stopProxy(quiet.proxy), stopProxy(silent.proxy)]);
    expect(lines(quiet.proxy).some((l) => l.msg === 'offline config loaded')).toBe(true);
    expect(lines(quiet.proxy).filter((l) => l.context === 'http')).toEqual([]);
    expect(lines(silent.proxy)).toEqual([]);
  });

  it('prints human-readable lines with LOG_FORMAT=pretty, on runtime dependencies alone', async () => {
    const { proxy, base } = await start({ LOG_FORMAT: 'pretty', NODE_ENV: 'production' });
    await token(base);
    await expect.poll(() => proxy.stdout(), { timeout: 10_000 }).toMatch(/INFO.*request/);
    expect(proxy.stdout()).toContain('ff-relay listening');
    expect(proxy.stdout()).not.toContain('{"level"');
    const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(Object.keys(manifest.dependencies)).toContain('pino-pretty');
  });
});

/**
 * `npm ci --omit=dev` (the container image) has only `dependencies`: every package the compiled
 * code imports must be one, or the image fails at start.
 */
describe('runtime imports', () => {
  it('come from Node or from package.json dependencies', () => {
    const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const runtime = new Set([...Object.keys(manifest.dependencies), ...builtinModules]);
    const missing = new Set<string>();
    const files = readdirSync('src', { recursive: true, encoding: 'utf8' });
    for (const file of files) {
      if (!file.endsWith('.ts') || file.endsWith('.spec.ts')) {
        continue;
      }
      const source = readFileSync(`src/${file}`, 'utf8');
      for (const [, specifier] of source.matchAll(/(?:from|import\()\s*'([^'.][^']*)'/g)) {
        const name = specifier?.startsWith('@')
          ? specifier.split('/').slice(0, 2).join('/')
          : (specifier?.split('/')[0] ?? '');
        if (!runtime.has(name) && !name.startsWith('node:')) {
          missing.add(`${name} (${file})`);
        }
      }
    }
    expect([...missing]).toEqual([]);
  });
});
