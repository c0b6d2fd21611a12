import { buildProxy } from '../support/built-proxy.js';
import { createTestApp, TEST_AUTH_SECRET, type TestApp } from '../support/create-test-app.js';
import {
  EXAMPLE_CONFIG_DIR,
  PRODUCTION_ENV_UUID,
  PRODUCTION_SERVER_SDK_KEY,
} from '../support/example-config.js';
import { freePort } from '../support/ports.js';
import { parseScrape } from '../support/prometheus-text.js';
import { RedisServer } from '../support/redis-server.js';
import { SseClient } from '../support/sse-client.js';
import { Instance } from '../support/topology.js';

const ADMIN_TOKEN = 'streams-admin-token-0123456789abcdef0123456789';

type Node = { url: string | undefined };

/**
 * A retired SDK-token secret ends the SDK streams its tokens opened, on every instance, as a
 * removed SDK key does: otherwise an SDK whose token now gets 401 on reads keeps receiving
 * heartbeats and believes it is served. `a` runs in this process, `b` (the compiled relay, which
 * learns of rotations through Redis) in its own.
 */
describe('Admin API: a retired SDK-token secret ends its SDK streams', () => {
  let redis: RedisServer;
  let a: TestApp;
  let b: Instance;

  beforeAll(async () => {
    await buildProxy();
    redis = await RedisServer.start();
    const env = {
      OFFLINE: 'true',
      CONFIG_DIR: EXAMPLE_CONFIG_DIR,
      REDIS_ADDRESS: redis.address,
      ADMIN_API_TOKEN: ADMIN_TOKEN,
    };
    a = await createTestApp(env, { listen: true, keepRedis: true });
    b = new Instance('b', await freePort(), { ...env, AUTH_SECRET: TEST_AUTH_SECRET });
    await b.start();
  }, 60_000);
  afterAll(async () => {
    await a.close();
    await b.kill();
    await redis.stop();
  });

  async function token(node: Node): Promise<string> {
    const response = await fetch(`${node.url}/client/auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apiKey: PRODUCTION_SERVER_SDK_KEY }),
    });
    return ((await response.json()) as { authToken: string }).authToken;
  }

  async function stream(node: Node, authToken: string): Promise<SseClient> {
    const client = await SseClient.connect(`${node.url}/stream`, {
      headers: { authorization: `Bearer ${authToken}`, 'API-Key': PRODUCTION_SERVER_SDK_KEY },
    });
    expect(client.status).toBe(200);
    await client.waitFor(() => client.heartbeats > 0);
    return client;
  }

  async function rotate(gracePeriod: string): Promise<void> {
    const response = await fetch(`${a.url}/admin/v1/auth-secret/rotate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ gracePeriod }),
    });
    expect(response.status).toBe(200);
  }

  /** How the stream ended, or a rejection naming it if it is still open after `ms`. */
  function endOf(client: SseClient, name: string, ms = 10_000) {
    return Promise.race([
      client.ended,
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`${name} still open after ${ms} ms`)), ms).unref(),
      ),
    ]);
  }

  it('ends them at once at 0s, on the instance that rotated and on the other', async () => {
    const old = await token(a);
    const streams = [await stream(a, old), await stream(b, old)];
    await rotate('0s');
    const fresh = await token(a);
    expect(await endOf(streams[0] as SseClient, 'the stream on a')).toEqual({ kind: 'eof' });
    expect(await endOf(streams[1] as SseClient, 'the stream on b')).toEqual({ kind: 'eof' });
    // Its SDK comes back to a 401, as its reads get; a token of the new secret streams on.
    const again = await SseClient.connect(`${b.url}/stream`, {
      headers: { authorization: `Bearer ${old}`, 'API-Key': PRODUCTION_SERVER_SDK_KEY },
    });
    expect(again.status).toBe(401);
    const current = await stream(b, fresh);
    expect(current.end).toBeUndefined();
    current.close();
    const scrape = parseScrape(await (await fetch(`${a.url}/metrics`)).text());
    expect(scrape.value('ff_proxy_sdk_streams_ended_total', { reason: 'secret_retired' })).toBe(1);
  });

  it('ends them when the grace period ends, and not before', async () => {
    const old = await token(a);
    const onB = await stream(b, old);
    const rotatedAt = Date.now();
    await rotate('3s');
    const ended = await endOf(onB, 'the stream on b');
    expect(ended).toEqual({ kind: 'eof' });
    expect(Date.now() - rotatedAt).toBeGreaterThanOrEqual(2_900);
    const status = await fetch(`${b.url}/client/env/${PRODUCTION_ENV_UUID}/feature-configs`, {
      headers: { authorization: `Bearer ${old}` },
    });
    expect(status.status).toBe(401);
  });
});
