import { randomUUID } from 'node:crypto';
import type { Client } from '@harnessio/ff-nodejs-server-sdk';
import { sha256Hex } from '../../src/cache/cache-keys.js';
import { buildProxy } from '../support/built-proxy.js';
import { nodeSdkClient } from '../support/node-sdk.js';
import { freePort } from '../support/ports.js';
import { RedisServer } from '../support/redis-server.js';
import { bearer, craftToken } from '../support/sdk-requests.js';
import { Instance, TOPOLOGY_AUTH_SECRET } from '../support/topology.js';
import { booleanFlag, environmentSeed } from '../support/upstream-emulator/fixtures.js';
import { UpstreamEmulator } from '../support/upstream-emulator/upstream-emulator.js';

const TARGET = { identifier: 'early-user', name: 'Early User' };
const WAITING = 'waiting for a primary to fill redis';
const READY = 'a primary has filled redis: serving SDKs';

interface LogLine {
  msg?: string;
  level?: string;
  db?: number;
  waitedMs?: number;
}

function logLines(instance: Instance, msg: string): LogLine[] {
  return instance
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine)
    .filter((line) => line.msg?.startsWith(msg));
}

/**
 * Every SDK route of an instance, as an SDK calls it, with the right SDK key and a token signed
 * with the shared secret: the status and error code of each.
 */
async function sdkRoutes(url: string, env: string, sdkKey: string): Promise<string[]> {
  const apiKey = `auth-key-${sha256Hex(sdkKey)}`;
  const token = craftToken(
    { apiKey, environment: env, clusterIdentifier: '1', iat: 0, nbf: 0 },
    { secret: TOPOLOGY_AUTH_SECRET },
  );
  const json = { 'content-type': 'application/json' };
  const requests: [string, RequestInit][] = [
    ['/client/auth', { method: 'POST', headers: json, body: JSON.stringify({ apiKey: sdkKey }) }],
    [`/client/env/${env}/feature-configs`, { headers: bearer(token) }],
    [`/client/env/${env}/target-segments?rules=v2`, { headers: bearer(token) }],
    [`/client/env/${env}/target/${TARGET.identifier}/evaluations`, { headers: bearer(token) }],
    ['/stream', { headers: { ...bearer(token), 'api-key': sdkKey } }],
    [
      `/metrics/${env}`,
      { method: 'POST', headers: { ...bearer(token), ...json }, body: '{"metricsData":[]}' },
    ],
    ['/health', {}],
  ];
  return Promise.all(
    requests.map(async ([path, init]) => {
      const response = await fetch(`${url}${path}`, init);
      const body = (await response.json()) as { code?: string };
      return `${path.split('?')[0]} ${response.status} ${body.code}`;
    }),
  );
}

async function authStatus(instance: Instance, apiKey: string): Promise<number> {
  const response = await fetch(`${instance.url}/client/auth`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ apiKey }),
  });
  return response.status;
}

async function authToken(instance: Instance, apiKey: string): Promise<string> {
  const response = await fetch(`${instance.url}/client/auth`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ apiKey }),
  });
  return ((await response.json()) as { authToken: string }).authToken;
}

async function cacheStatus(instance: Instance): Promise<string | undefined> {
  const response = await fetch(`${instance.url}/health`).catch(() => undefined);
  return ((await response?.json()) as { cacheStatus?: string } | undefined)?.cacheStatus;
}

function notReady(env: string): string[] {
  return [
    '/client/auth',
    `/client/env/${env}/feature-configs`,
    `/client/env/${env}/target-segments`,
    `/client/env/${env}/target/${TARGET.identifier}/evaluations`,
    '/stream',
    `/metrics/${env}`,
    '/health',
  ].map((path) => `${path} 503 NOT_READY`);
}

describe('a read replica on a Redis no primary has filled', () => {
  let redis: RedisServer;
  let upstream: UpstreamEmulator;
  let trap: UpstreamEmulator;
  let primary: Instance;
  const replicas: Instance[] = [];
  const clients: Client[] = [];
  const seed = environmentSeed({
    featureConfigs: [booleanFlag('dark-mode', { state: 'on' })],
    apiKeys: [randomUUID(), randomUUID()],
  });
  const [sdkKey = '', otherKey = ''] = seed.apiKeys ?? [];

  function replica(name: string, env: Record<string, string> = {}): Promise<Instance> {
    return freePort().then((port) => {
      const instance = new Instance(name, port, {
        REDIS_ADDRESS: redis.address,
        AUTH_SECRET: TOPOLOGY_AUTH_SECRET,
        READ_REPLICA: 'true',
        CLIENT_SERVICE: trap.url,
        METRIC_SERVICE: trap.metricsUrl,
        ACCESS_LOG: 'false',
        ...env,
      });
      replicas.push(instance);
      return instance;
    });
  }

  beforeAll(async () => {
    await buildProxy();
    redis = await RedisServer.start();
    upstream = new UpstreamEmulator({ seed: { environments: [seed] }, heartbeatMs: 500 });
    trap = new UpstreamEmulator({ seed: { environments: [] } });
    await Promise.all([upstream.start(), trap.start()]);
    primary = new Instance('primary', await freePort(), {
      REDIS_ADDRESS: redis.address,
      AUTH_SECRET: TOPOLOGY_AUTH_SECRET,
      PROXY_KEY: upstream.proxyKey,
      CLIENT_SERVICE: upstream.url,
      METRIC_SERVICE: upstream.metricsUrl,
      LOG_LEVEL: 'ERROR',
    });
  }, 90_000);
  afterAll(async () => {
    clients.forEach((client) => client.close());
    await Promise.all([primary, ...replicas].map((instance) => instance?.kill()));
    await Promise.all([upstream?.stop(), trap?.stop(), redis?.stop()]);
  });

  it('answers 503 (never 401) until a primary fills Redis, then serves; an SDK started too early gets the real values', async () => {
    const early = await replica('early');
    await early.launch();
    expect(await sdkRoutes(early.url, seed.id, sdkKey)).toEqual(notReady(seed.id));
    expect(await early.livez()).toBe(200);
    // An unmodified SDK started now retries its authentication (with backoff) on a 503.
    const client = nodeSdkClient(sdkKey, early.url);
    clients.push(client);
    expect(await client.boolVariation('dark-mode', TARGET, false)).toBe(false);
    await expect.poll(() => logLines(early, WAITING).length).toBe(1);

    await primary.start();
    await expect.poll(() => early.health(), { timeout: 10_000 }).toBe(200);
    const auth = await fetch(`${early.url}/client/auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apiKey: sdkKey }),
    });
    expect(auth.status).toBe(200);
    await expect
      .poll(() => client.boolVariation('dark-mode', TARGET, false), { timeout: 70_000 })
      .toBe(true);

    // One line when it became ready; while it waited one at once, then one every 30 s at most.
    const ready = logLines(early, READY);
    expect(ready).toHaveLength(1);
    const waitedMs = ready[0]?.waitedMs ?? Number.NaN;
    expect(logLines(early, WAITING).length).toBeLessThanOrEqual(1 + Math.ceil(waitedMs / 30_000));
    expect(trap.requests()).toEqual([]);
  }, 180_000);

  it('with a wrong REDIS_DB (an empty DB) never answers 401 and stays not ready', async () => {
    // A primary serves DB 0 (started here when this test runs alone).
    if ((await primary.health()) !== 200) {
      await primary.start();
    }
    const lost = await replica('wrong-db', { REDIS_DB: '7' });
    await lost.launch();
    // A primary keeps writing (its state every 20 s, changes at once) into its own DB.
    upstream.toggleFlag(seed.id, 'dark-mode', 'off');
    const statuses = new Set<string>();
    for (let i = 0; i < 25; i++) {
      (await sdkRoutes(lost.url, seed.id, sdkKey)).forEach((s) => statuses.add(s));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect([...statuses]).toEqual(notReady(seed.id));
    expect(logLines(lost, WAITING)[0]).toMatchObject({ db: 7 });
    expect(logLines(lost, READY)).toEqual([]);
  }, 60_000);

  it('once ready stays ready on a Redis emptied later: serves what memory holds, never 401 for a key it has not seen', async () => {
    if ((await primary.health()) !== 200) {
      await primary.start();
    }
    const steady = await replica('steady');
    await steady.start();
    const token = await authToken(steady, sdkKey);
    // The primary would write everything back at once: without it the gap stays open.
    await primary.kill();
    await redis.restart({ empty: true });
    await expect.poll(() => cacheStatus(steady), { timeout: 15_000 }).toBe('healthy');
    for (let i = 0; i < 10; i++) {
      expect(await authStatus(steady, sdkKey)).toBe(200);
      const flags = await fetch(`${steady.url}/client/env/${seed.id}/feature-configs`, {
        headers: bearer(token),
      });
      expect([flags.status, ((await flags.json()) as unknown[]).length]).toEqual([200, 1]);
      // Never seen by this replica: not known absent either, so no 401 while Redis lacks it.
      expect(await authStatus(steady, otherKey)).toBe(503);
    }
    expect(await steady.health()).toBe(200);
    await primary.start();
    await expect.poll(() => authStatus(steady, otherKey), { timeout: 15_000 }).toBe(200);
  }, 90_000);
});
