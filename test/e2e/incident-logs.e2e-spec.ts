import { freePort } from '../support/ports.js';
import type { RedisServer } from '../support/redis-server.js';
import {
  Instance,
  startTopology,
  TOPOLOGY_ADMIN_TOKEN,
  type Topology,
} from '../support/topology.js';

interface LogLine {
  level: string;
  msg: string;
  context?: string;
  err?: unknown;
  [field: string]: unknown;
}

/**
 * An incident scripted against a primary (its own process, its own redis-server, the emulated
 * upstream), read back only from its log lines, as an operator would: a flag changed upstream,
 * the upstream gone and back, Redis killed and back empty, the proxy key rotated.
 */
describe('logs of an incident', () => {
  let topology: Topology;
  let primary: Instance;
  afterAll(async () => {
    await primary?.kill();
    await topology?.stop();
  });

  const lines = (): LogLine[] =>
    (primary.process?.stdout() ?? '')
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as LogLine);
  /** The lines written from now on. */
  const mark = (): (() => LogLine[]) => {
    const from = lines().length;
    return () => lines().slice(from);
  };
  const find = (since: () => LogLine[], msg: string) => since().find((l) => l.msg === msg);
  const waitFor = async (since: () => LogLine[], msg: string) => {
    await expect.poll(() => find(since, msg), { timeout: 20_000 }).toBeDefined();
    return find(since, msg) as LogLine;
  };

  it('tells what happened, at INFO, with one line per change and per state transition', async () => {
    topology = await startTopology('single', { readReplicas: 0, started: false });
    const { upstream, env } = topology;
    primary = new Instance('primary', await freePort(), {
      ...topology.primaryEnv,
      LOG_LEVEL: 'INFO',
      ADMIN_SERVICE: upstream.adminUrl,
      ADMIN_SERVICE_TOKEN: upstream.adminApiKey,
      PROXY_KEY_IDENTIFIER: 'relay-proxy',
      ACCOUNT_IDENTIFIER: upstream.account,
    });
    await primary.start();
    await waitFor(() => lines(), 'upstream stream connected');

    // Boot: the effective configuration, and none of Nest's per-module chatter.
    expect(find(lines, 'service config')).toMatchObject({ context: 'FfRelay', level: 'info' });
    expect(lines().filter((l) => l.context === 'InstanceLoader')).toEqual([]);
    expect(lines().filter((l) => l.context === 'RoutesResolver')).toEqual([]);

    // 1. A flag toggled upstream: which environment, kind, identifier and version; no content.
    let since = mark();
    const toggled = upstream.toggleFlag(env, 'dark-mode', 'off');
    expect(await waitFor(since, 'config changed')).toMatchObject({
      level: 'info',
      context: 'ChangePublisher',
      env,
      kind: 'flag',
      change: 'patch',
      identifier: 'dark-mode',
      version: toggled.version,
    });
    expect(JSON.stringify(since())).not.toContain('variations');

    // 2. The upstream goes away: the stream's end with its reason and the next attempt, then
    //    the state change; and when it is back, connected again with a resync.
    since = mark();
    await upstream.goDown('refuse');
    const down = await waitFor(
      since,
      'upstream stream unreachable: SDK streams closed, polling until it is back',
    );
    expect(down).toMatchObject({ level: 'warn', state: 'DISCONNECTED' });
    expect(down.retryInMs).toEqual(expect.any(Number));
    const disconnected = since().filter((l) => l.msg === 'upstream stream disconnected');
    expect(disconnected.length).toBeGreaterThan(0);
    for (const line of disconnected) {
      expect(line.retryInMs).toEqual(expect.any(Number));
      expect(line.reason).toEqual(expect.any(String));
    }
    expect(disconnected.some((l) => l.level === 'warn' && isError(l.err))).toBe(true);
    await upstream.comeBack();
    expect(await waitFor(since, 'upstream stream connected')).toMatchObject({
      level: 'info',
      state: 'CONNECTED',
      resynced: true,
    });

    // 3. Redis killed: the cache unhealthy; back empty: re-seeded, healthy again.
    since = mark();
    const redis = topology.redis as RedisServer;
    await redis.kill();
    await expect
      .poll(() => since().find((l) => l.msg === 'cache status changed')?.cacheStatus, {
        timeout: 20_000,
      })
      .toBe('unhealthy');
    await redis.restart({ empty: true });
    await waitFor(since, 'cache re-seeded from memory');
    await expect
      .poll(
        () =>
          since()
            .filter((l) => l.msg === 'cache status changed')
            .at(-1)?.cacheStatus,
        {
          timeout: 20_000,
        },
      )
      .toBe('healthy');

    // 4. The proxy key rotated with no grace (Harness cuts the old key's stream before the call
    //    answers): a key switch at INFO, and no warning about the stream it ended.
    await expect.poll(() => primary.streamState(), { timeout: 20_000 }).toBe('CONNECTED');
    since = mark();
    const rotated = await fetch(`${primary.url}/admin/v1/proxy-key/rotate`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${TOPOLOGY_ADMIN_TOKEN}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ gracePeriod: '0s' }),
    });
    expect(rotated.status).toBe(200);
    expect(
      await waitFor(since, 'switching the proxy key: reopening the upstream stream'),
    ).toMatchObject({
      level: 'info',
    });
    await waitFor(since, 'upstream stream connected');
    expect(
      since().filter((l) => l.context === 'AccountStreamService' && l.level !== 'info'),
    ).toEqual([]);

    // Every line: a component, and an error only ever as {type, message}.
    expect(lines().filter((l) => typeof l.context !== 'string')).toEqual([]);
    expect(lines().filter((l) => 'err' in l && !isError(l.err))).toEqual([]);
  }, 180_000);
});

function isError(err: unknown): boolean {
  const e = err as { type?: unknown; message?: unknown } | null;
  return typeof e?.type === 'string' && typeof e.message === 'string';
}
