import {
  accountStream,
  proxyAuth,
  proxyConfig,
  proxyToken,
} from '../support/upstream-emulator/emulator-requests.js';
import type { EnvironmentSeed } from '../support/upstream-emulator/environment-store.js';
import { booleanFlag, environmentSeed, segment } from '../support/upstream-emulator/fixtures.js';
import { decodeJwtPayload } from '../support/upstream-emulator/jwt.js';
import { sha256Hex } from '../support/upstream-emulator/key-material.js';
import type { UpstreamEmulatorOptions } from '../support/upstream-emulator/emulator-options.js';
import { UpstreamEmulator } from '../support/upstream-emulator/upstream-emulator.js';

let emulator: UpstreamEmulator;
let envs: EnvironmentSeed[];

async function start(options: UpstreamEmulatorOptions = {}, count = 2): Promise<void> {
  envs = Array.from({ length: count }, () => environmentSeed());
  emulator = new UpstreamEmulator({ seed: { environments: envs }, ...options });
  await emulator.start();
}

const env = (index: number): EnvironmentSeed => envs[index] ?? environmentSeed();
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** The admin API call as documented (x-api-key, accountIdentifier, rotateKey). */
const rotate = (rotateKey: string, apiKey = emulator.adminApiKey, id = 'relay-proxy') =>
  fetch(`${emulator.adminUrl}/admin/proxy/keys/${id}?accountIdentifier=${emulator.account}`, {
    method: 'PATCH',
    headers: { 'Content-Type': 'application/json', 'x-api-key': apiKey },
    body: JSON.stringify({ instructions: { rotateKey } }),
  });

afterEach(async () => {
  await emulator.stop();
});

describe('POST /proxy/auth', () => {
  it('issues an HS256 JWT carrying the SaaS proxy claims', async () => {
    await start();
    const response = await proxyAuth(emulator);
    expect(response.headers.get('content-type')).toContain('json');
    const { authToken } = await response.json();
    expect(authToken.split('.')).toHaveLength(3);
    expect(decodeJwtPayload(authToken)).toMatchObject({
      cluster_identifier: '1',
      account: emulator.account,
      key_type: 'Proxy',
      key: sha256Hex(emulator.proxyKey),
      environments: [env(0).id, env(1).id],
    });
  });

  it('answers 401 with the error model for an unknown key', async () => {
    await start();
    const response = await proxyAuth(emulator, 'not-a-key');
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ code: '401', message: expect.any(String) });
  });
});

describe('GET /proxy/config', () => {
  it('pages through every environment with all three arrays', async () => {
    await start({ pageSize: 2 }, 5);
    const token = await proxyToken(emulator);
    const pages = [];
    for (const pageNumber of ['0', '1', '2', '3']) {
      pages.push(await (await proxyConfig(emulator, token, { pageNumber })).json());
    }
    expect(pages.map((p) => [p.itemCount, p.pageCount, p.pageIndex, p.pageSize])).toEqual([
      [5, 3, 0, 2],
      [5, 3, 1, 2],
      [5, 3, 2, 2],
      [5, 3, 3, 2],
    ]);
    const served = pages.flatMap((p) => p.environments);
    expect(served.map((e: any) => e.id)).toEqual(envs.map((e) => e.id));
    expect(served[0]).toEqual({
      id: env(0).id,
      apiKeys: env(0).apiKeys?.map(sha256Hex),
      featureConfigs: env(0).featureConfigs,
      segments: env(0).segments,
    });
    expect(emulator.requests({ route: '/proxy/config' })).toHaveLength(4);
  });

  it('honours the requested pageSize when none is forced', async () => {
    await start({}, 12);
    const token = await proxyToken(emulator);
    const first = await (await proxyConfig(emulator, token)).json();
    expect([first.itemCount, first.pageCount, first.environments.length]).toEqual([12, 2, 10]);
  });

  it('filters by environment, and refuses a token minted before the environment existed', async () => {
    await start();
    const token = await proxyToken(emulator);
    const filtered = await (await proxyConfig(emulator, token, { environment: env(1).id })).json();
    expect(filtered.environments.map((e: any) => e.id)).toEqual([env(1).id]);
    const added = environmentSeed();
    emulator.addEnvironment(added);
    expect((await proxyConfig(emulator, token, { environment: added.id })).status).toBe(403);
    const fresh = await proxyToken(emulator);
    expect((await proxyConfig(emulator, fresh, { environment: added.id })).status).toBe(200);
  });

  it('answers 401 for missing, foreign, revoked or expired tokens and for a key mismatch', async () => {
    // Long enough for the first checks on a loaded machine; its end is then waited for.
    await start({ tokenTtlMs: 3_000 });
    const token = await proxyToken(emulator);
    expect(decodeJwtPayload(token).exp).toEqual(expect.any(Number));
    expect((await proxyConfig(emulator, token)).status).toBe(200);
    expect((await fetch(`${emulator.url}/proxy/config?key=${emulator.proxyKey}`)).status).toBe(401);
    expect((await proxyConfig(emulator, `${token}x`)).status).toBe(401);
    const other = emulator.createProxyKey('other');
    expect((await proxyConfig(emulator, token, { key: other })).status).toBe(401);
    emulator.revokeTokens();
    expect((await proxyConfig(emulator, token)).status).toBe(401);
    const renewed = await proxyToken(emulator);
    await expect
      .poll(async () => (await proxyConfig(emulator, renewed)).status, { interval: 250 })
      .toBe(401);
  });
});

describe('GET /client/env/:env/*', () => {
  it('serves flags and segments (servingRules only with rules=v2) and records Harness headers', async () => {
    await start();
    const token = await proxyToken(emulator);
    const headers = { ...bearer(token), 'Harness-EnvironmentID': env(0).id };
    const base = `${emulator.url}/client/env/${env(0).id}`;
    const flags = await (await fetch(`${base}/feature-configs?cluster=1`, { headers })).json();
    expect(flags).toEqual(env(0).featureConfigs);
    const v2 = await (await fetch(`${base}/target-segments?rules=v2`, { headers })).json();
    expect(v2[0].servingRules).toHaveLength(1);
    const v1 = await (await fetch(`${base}/target-segments`, { headers })).json();
    expect(v1[0].servingRules).toBeUndefined();
    const [recorded] = emulator.requests({ route: /feature-configs$/ });
    expect(recorded?.headers['harness-environmentid']).toBe(env(0).id);
    expect(recorded?.query).toEqual({ cluster: '1' });
    const foreign = `${emulator.url}/client/env/${environmentSeed().id}/feature-configs`;
    expect((await fetch(foreign, { headers })).status).toBe(403);
  });
});

describe('GET /stream', () => {
  it('refuses a wrong API-Key', async () => {
    await start();
    const stream = await accountStream(emulator, await proxyToken(emulator), 'wrong');
    expect(stream.status).toBe(401);
  });

  it('sends every change as event: * plus one data line', async () => {
    await start();
    const stream = await accountStream(emulator, await proxyToken(emulator));
    expect(stream.headers.get('content-type')).toBe('text/event-stream');
    emulator.toggleFlag(env(0).id, 'dark-mode');
    await stream.next();
    expect(stream.text).toBe(
      `:\n\nevent: *\ndata: {"event":"patch","domain":"flag","identifier":"dark-mode",` +
        `"version":2,"environment":"${env(0).id}"}\n\n`,
    );
    emulator.upsertFlag(env(0).id, booleanFlag('new-flag'));
    emulator.deleteFlag(env(0).id, 'new-flag');
    emulator.upsertSegment(env(1).id, segment('beta-users', { name: 'Beta' }));
    emulator.deleteSegment(env(1).id, 'beta-users');
    const events = [];
    for (let i = 0; i < 4; i += 1) {
      events.push(JSON.parse((await stream.next()).data));
    }
    expect(events.map((e) => [e.event, e.domain, e.identifier, e.version])).toEqual([
      ['create', 'flag', 'new-flag', 1],
      ['delete', 'flag', 'new-flag', 1],
      ['patch', 'target-segment', 'beta-users', 2],
      ['delete', 'target-segment', 'beta-users', 2],
    ]);
    stream.close();
  });

  it('sends proxy-domain events and ends the stream when the proxy key is deleted', async () => {
    await start();
    const stream = await accountStream(emulator, await proxyToken(emulator));
    const proxyKey = emulator.proxyKey;
    const added = environmentSeed();
    emulator.addEnvironment(added);
    emulator.addApiKey(added.id, 'sdk-key');
    emulator.removeApiKey(added.id, 'sdk-key');
    emulator.removeEnvironment(added.id);
    emulator.deleteProxyKey();
    const hash = sha256Hex('sdk-key');
    const payloads = [];
    for await (const event of stream.events()) {
      payloads.push(event.data);
    }
    expect(payloads).toEqual([
      `{"event":"environmentsAdded","domain":"proxy","environments":["${added.id}"]}`,
      `{"event":"apiKeyAdded","domain":"proxy","environments":["${added.id}"],"apiKey":"${hash}"}`,
      `{"event":"apiKeyRemoved","domain":"proxy","environments":["${added.id}"],"apiKey":"${hash}"}`,
      `{"event":"environmentsRemoved","domain":"proxy","environments":["${added.id}"]}`,
      '{"event":"proxyKeyDeleted","domain":"proxy"}',
    ]);
    expect(stream.end).toEqual({ kind: 'eof' });
    expect((await proxyAuth(emulator, proxyKey)).status).toBe(401);
  });

  it('reaches only the streams of proxy keys covering the environment', async () => {
    await start();
    const other = emulator.createProxyKey('other', [env(1).id]);
    const otherStream = await accountStream(emulator, await proxyToken(emulator, other), other);
    emulator.toggleFlag(env(0).id, 'dark-mode');
    emulator.toggleFlag(env(1).id, 'dark-mode');
    expect(JSON.parse((await otherStream.next()).data).environment).toBe(env(1).id);
    expect(otherStream.received).toHaveLength(1);
    otherStream.close();
  });

  it('lets the SSE client parse any framing: CRLF, multi-line data, id, split chunks', async () => {
    await start();
    const stream = await accountStream(emulator, await proxyToken(emulator));
    emulator.emitRaw('id: 7\r\nevent: *\r\ndata: {"a":\r\n');
    emulator.emitRaw('data: 1}\r\n\r\n: comment only\n\n');
    expect(await stream.next()).toEqual({ event: '*', data: '{"a":\n1}', id: '7' });
    await stream.waitFor(() => stream.heartbeats === 2, 10_000, 'the comment block');
    stream.close();
  });

  it('sends heartbeats, and stalled streams go silent while new ones do not', async () => {
    await start({ heartbeatMs: 40 });
    const token = await proxyToken(emulator);
    const stalled = await accountStream(emulator, token);
    await stalled.waitFor(() => stalled.heartbeats >= 3, 10_000, 'three heartbeats');
    expect(stalled.text.startsWith(':\n\n:\n\n:\n\n')).toBe(true);
    emulator.stallStreams();
    const seen = stalled.chunks.length;
    const fresh = await accountStream(emulator, token);
    await fresh.waitFor(() => fresh.heartbeats >= 3, 10_000, 'three heartbeats');
    expect(stalled.chunks.length).toBe(seen);
    expect(stalled.end).toBeUndefined();
    stalled.close();
    fresh.close();
  });

  it('cutStreams resets the connection, endStreams ends it cleanly', async () => {
    await start();
    const token = await proxyToken(emulator);
    const cut = await accountStream(emulator, token);
    emulator.cutStreams();
    expect((await cut.ended).kind).toBe('error');
    const ended = await accountStream(emulator, token);
    emulator.endStreams();
    expect(await ended.ended).toEqual({ kind: 'eof' });
  });
});

describe('outages', () => {
  it('refuses connections while down, on the same URL once back', async () => {
    await start();
    const token = await proxyToken(emulator);
    const stream = await accountStream(emulator, token);
    await emulator.goDown('refuse');
    expect((await stream.ended).kind).toBe('error');
    await expect(proxyAuth(emulator)).rejects.toThrow();
    await emulator.comeBack();
    expect((await proxyConfig(emulator, token)).status).toBe(200);
  });

  it('answers 503 with the error model in 503 mode', async () => {
    await start();
    await emulator.goDown('503');
    const response = await proxyAuth(emulator);
    expect([response.status, await response.json()]).toEqual([
      503,
      { code: '503', message: 'service unavailable' },
    ]);
    await emulator.comeBack();
    expect((await proxyAuth(emulator)).status).toBe(200);
  });
});

describe('PATCH /admin/proxy/keys/:identifier', () => {
  it('rotates the key; the old one works until its grace period ends', async () => {
    await start();
    const oldKey = emulator.proxyKey;
    const oldToken = await proxyToken(emulator);
    const { key } = await (await rotate('12h')).json();
    expect(key).not.toBe(oldKey);
    expect(emulator.proxyKey).toBe(key);
    expect((await proxyAuth(emulator, key)).status).toBe(200);
    expect((await proxyAuth(emulator, oldKey)).status).toBe(200);
    expect((await proxyConfig(emulator, oldToken, { key: oldKey })).status).toBe(200);
    emulator.expireRotatedKeys();
    expect((await proxyAuth(emulator, oldKey)).status).toBe(401);
    expect((await proxyConfig(emulator, oldToken, { key: oldKey })).status).toBe(401);
  });

  it('cuts the streams of a key once it is revoked, and only those', async () => {
    await start();
    const other = emulator.createProxyKey('other-proxy');
    const oldStream = await accountStream(emulator, await proxyToken(emulator));
    const otherStream = await accountStream(emulator, await proxyToken(emulator, other), other);
    const { key } = await (await rotate('12h')).json();
    const newStream = await accountStream(emulator, await proxyToken(emulator, key), key);
    expect(emulator.openStreams).toBe(3);
    emulator.expireRotatedKeys();
    expect((await oldStream.ended).kind).toBe('error');
    expect(emulator.openStreams).toBe(2);
    expect((await rotate('0s')).status).toBe(200);
    expect((await newStream.ended).kind).toBe('error');
    expect(emulator.openStreams).toBe(1);
    emulator.emit({ event: 'patch', domain: 'flag' });
    await otherStream.next();
    otherStream.close();
  });

  it("cuts the old key's streams when its grace period runs out", async () => {
    await start();
    const stream = await accountStream(emulator, await proxyToken(emulator));
    expect((await rotate('300ms')).status).toBe(200);
    expect(emulator.openStreams).toBe(1);
    expect((await stream.ended).kind).toBe('error');
  });

  it('revokes at once with 0s and checks auth, input and identifier', async () => {
    await start();
    const oldKey = emulator.proxyKey;
    expect((await rotate('0s')).status).toBe(200);
    expect((await proxyAuth(emulator, oldKey)).status).toBe(401);
    expect((await rotate('12h', 'wrong')).status).toBe(401);
    expect((await rotate('soon')).status).toBe(400);
    expect((await rotate('1h', emulator.adminApiKey, 'missing')).status).toBe(404);
  });
});

describe('forwarded calls', () => {
  it('records /client/auth and /metrics bodies, headers and query', async () => {
    await start();
    const target = { identifier: 'user-1', name: 'User 1' };
    const apiKey = env(0).apiKeys?.[0];
    const auth = await fetch(`${emulator.url}/client/auth`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ apiKey, target }),
    });
    expect(decodeJwtPayload((await auth.json()).authToken).environment).toBe(env(0).id);
    const token = await proxyToken(emulator);
    const body = { targetData: [{ identifier: 'user-1', name: 'User 1', attributes: [] }] };
    const post = (base: string) =>
      fetch(`${base}/metrics/${env(0).id}?cluster=1`, {
        method: 'POST',
        headers: {
          ...bearer(token),
          'Content-Type': 'application/json',
          'Harness-SDK-Info': 'Proxy 2.0.0',
        },
        body: JSON.stringify(body),
      });
    expect((await post(emulator.metricsUrl)).status).toBe(200);
    expect((await post(emulator.url)).status).toBe(404);
    const [forwarded] = emulator.requests({ route: '/client/auth' });
    expect(forwarded?.body).toEqual({ apiKey, target });
    const metrics = emulator.requests({ method: 'POST', route: `/metrics/${env(0).id}` });
    expect(metrics.map((r) => [r.status, r.query, r.headers['harness-sdk-info'], r.body])).toEqual([
      [200, { cluster: '1' }, 'Proxy 2.0.0', body],
      [404, { cluster: '1' }, 'Proxy 2.0.0', body],
    ]);
  });
});
