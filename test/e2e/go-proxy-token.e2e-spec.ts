import { createHash, createHmac } from 'node:crypto';
import { createServer, request, type Server } from 'node:http';
import type { Client } from '@harnessio/ff-nodejs-server-sdk';
import type { FeatureConfig } from '../../src/model/feature-config.js';
import { createTestApp, TEST_AUTH_SECRET, type TestApp } from '../support/create-test-app.js';
import {
  PRODUCTION_CLIENT_SDK_KEY,
  PRODUCTION_ENV_UUID,
  PRODUCTION_SERVER_SDK_KEY,
} from '../support/example-config.js';
import { nextChange, nodeSdkClient } from '../support/node-sdk.js';
import { OfflineConfigEditor } from '../support/offline-config-editor.js';

const ADMIN = {
  authorization: 'Bearer go-token-admin-of-at-least-32-characters',
  'content-type': 'application/json',
};
const BASE = `/client/env/${PRODUCTION_ENV_UUID}`;

/**
 * The token the Go relay proxy mints at `/client/auth`, built from its description alone: HS256
 * over AUTH_SECRET, claims `apiKey` (`auth-key-` + SHA-256 hex of the SDK key), `environment`,
 * `clusterIdentifier` "1", `iat` and `nbf`; no `exp`, no `kid`.
 */
function goProxyToken(sdkKey: string, secret: string): string {
  const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    apiKey: `auth-key-${createHash('sha256').update(sdkKey, 'utf8').digest('hex')}`,
    clusterIdentifier: '1',
    environment: PRODUCTION_ENV_UUID,
    iat: now,
    nbf: now,
  };
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

/**
 * What an SDK sees across a migration: it authenticated with the Go proxy, which was then
 * replaced behind the same address. `/client/auth` answers the Go token; everything else is
 * ff-relay's answer. Records each forwarded request's path and status.
 */
async function goThenRelay(relayUrl: string, token: string) {
  const seen: { path: string; status: number }[] = [];
  const relay = new URL(relayUrl);
  const server: Server = createServer((incoming, outgoing) => {
    if (incoming.url === '/client/auth') {
      incoming.resume();
      outgoing.writeHead(200, { 'content-type': 'application/json' });
      outgoing.end(JSON.stringify({ authToken: token }));
      return;
    }
    const options = { host: relay.hostname, port: relay.port, path: incoming.url };
    const forward = request({ ...options, method: incoming.method, headers: incoming.headers });
    forward.on('response', (answer) => {
      seen.push({ path: (incoming.url ?? '').split('?')[0] ?? '', status: answer.statusCode ?? 0 });
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    });
    forward.on('error', () => outgoing.destroy());
    outgoing.on('close', () => forward.destroy());
    incoming.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('a token the Go relay proxy issued, with AUTH_SECRET kept', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(
      { ADMIN_API_TOKEN: 'go-token-admin-of-at-least-32-characters' },
      { listen: true },
    );
  });
  afterAll(() => t.close());

  const status = async (path: string, token: string, init: RequestInit = {}): Promise<number> => {
    const headers = { authorization: `Bearer ${token}`, ...(init.headers as object) };
    const response = await fetch(`${t.url}${path}`, { ...init, headers });
    await response.body?.cancel();
    return response.status;
  };
  const rotate = (gracePeriod: string) =>
    fetch(`${t.url}/admin/v1/auth-secret/rotate`, {
      method: 'POST',
      headers: ADMIN,
      body: JSON.stringify({ gracePeriod }),
    });

  it('is accepted on every SDK route, and refused when signed with another secret', async () => {
    const server = goProxyToken(PRODUCTION_SERVER_SDK_KEY, TEST_AUTH_SECRET);
    const client = goProxyToken(PRODUCTION_CLIENT_SDK_KEY, TEST_AUTH_SECRET);
    expect(await status(`${BASE}/feature-configs`, server)).toBe(200);
    expect(await status(`${BASE}/feature-configs/dark-mode`, server)).toBe(200);
    expect(await status(`${BASE}/target-segments?rules=v2`, server)).toBe(200);
    expect(await status(`${BASE}/target/alice/evaluations`, client)).toBe(200);
    expect(await status(`${BASE}/target/alice/evaluations/dark-mode`, client)).toBe(200);
    const stream = { headers: { 'API-Key': PRODUCTION_SERVER_SDK_KEY } };
    expect(await status('/stream?cluster=1', server, { method: 'HEAD', ...stream })).toBe(200);
    // The Go proxy's own default secret is the word `secret`: not what this relay was given.
    const foreign = goProxyToken(PRODUCTION_SERVER_SDK_KEY, 'secret');
    expect(await status(`${BASE}/feature-configs`, foreign)).toBe(401);
  });

  it('keeps serving an unmodified Node SDK through a secret rotation, until the grace ends', async () => {
    const token = goProxyToken(PRODUCTION_SERVER_SDK_KEY, TEST_AUTH_SECRET);
    const front = await goThenRelay(t.url ?? '', token);
    let sdk: Client | undefined;
    try {
      sdk = nodeSdkClient(PRODUCTION_SERVER_SDK_KEY, front.url);
      await sdk.waitForInitialization();
      const target = { identifier: 'go-token-user', name: 'G' };
      expect(await sdk.boolVariation('legacy-reports', target, true)).toBe(false);

      const rotatedAt = Date.now();
      expect((await rotate('8s')).status).toBe(200);
      // Within the grace period the SDK, which never re-authenticates, still fetches changes.
      const changed = nextChange(sdk, 8_000);
      await flip('legacy-reports', 'true');
      expect(await changed).toBe('legacy-reports');
      expect(await sdk.boolVariation('legacy-reports', target, false)).toBe(true);

      await expect
        .poll(() => status(`${BASE}/feature-configs`, token), { timeout: 15_000, interval: 200 })
        .toBe(401);
      expect(Date.now() - rotatedAt).toBeGreaterThanOrEqual(7_900);
      // Its stream was ended when the secret retired: what it asks next (the stream again, or
      // a poll) is refused.
      await flip('legacy-reports', 'false');
      await expect
        .poll(() => front.seen.some((r) => r.status === 401), { timeout: 30_000 })
        .toBe(true);
      expect(front.seen.filter((r) => r.status !== 200 && r.status !== 401)).toEqual([]);
    } finally {
      sdk?.close();
      await front.close();
    }
  });

  async function flip(feature: string, variation: 'true' | 'false'): Promise<void> {
    const updater = new OfflineConfigEditor(t.app);
    const response = await fetch(`${t.url}${BASE}/feature-configs/${feature}`, {
      headers: { authorization: `Bearer ${await freshToken()}` },
    });
    const flag = (await response.json()) as FeatureConfig;
    await updater.upsertFlag(PRODUCTION_ENV_UUID, {
      ...flag,
      state: 'on',
      defaultServe: { variation },
      version: (flag.version ?? 0) + 1,
    });
  }

  async function freshToken(): Promise<string> {
    const response = await fetch(`${t.url}/client/auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apiKey: PRODUCTION_SERVER_SDK_KEY }),
    });
    return ((await response.json()) as { authToken: string }).authToken;
  }
});
