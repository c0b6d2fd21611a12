import type { FeatureConfig } from '../../src/model/feature-config.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { PRODUCTION_ENV_UUID, PRODUCTION_SERVER_SDK_KEY } from '../support/example-config.js';
import { authenticate } from '../support/sdk-requests.js';
import { RedisServer } from '../support/redis-server.js';
import { SseClient, type SseEvent } from '../support/sse-client.js';
import { OfflineConfigEditor } from '../support/offline-config-editor.js';

const CONTEXT = { context: { targetingKey: 'events-user' } };

interface Refetch {
  type: string;
  etag: string;
  lastModified: number;
}

const probe = (version: number, state: 'on' | 'off'): FeatureConfig => ({
  feature: 'events-probe',
  kind: 'boolean',
  state,
  offVariation: 'false',
  defaultServe: { variation: 'true' },
  variations: [
    { identifier: 'true', value: 'true' },
    { identifier: 'false', value: 'false' },
  ],
  version,
});

describe('GET /ofrep/v1/events', () => {
  let t: TestApp;
  const clients: SseClient[] = [];
  let version = 1;

  beforeAll(async () => {
    t = await createTestApp(
      { SDK_STREAM_LIMIT: '3', SSE_HEARTBEAT_INTERVAL: '2' },
      { listen: true },
    );
  });
  afterEach(() => clients.splice(0).forEach((client) => client.close()));
  afterAll(() => t?.close());

  async function bulk(
    query = '',
  ): Promise<{ url: string; body: { flags: { key: string; value?: unknown }[] } }> {
    const response = await fetch(`${t.url}/ofrep/v1/evaluate/flags${query}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': PRODUCTION_SERVER_SDK_KEY },
      body: JSON.stringify(CONTEXT),
    });
    const body = (await response.json()) as {
      flags: { key: string; value?: unknown }[];
      eventStreams: { endpoint: { requestUri: string } }[];
    };
    return { url: `${t.url}${body.eventStreams[0]?.endpoint.requestUri ?? ''}`, body };
  }

  async function open(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    const client = await SseClient.connect(url, { headers });
    clients.push(client);
    return client;
  }

  const change = (state: 'on' | 'off') =>
    new OfflineConfigEditor(t.app).upsertFlag(PRODUCTION_ENV_UUID, probe(++version, state));

  const refetchOf = (event: SseEvent) => JSON.parse(event.data) as Refetch;

  /** The `iat` of the stream token in an event-stream URL. */
  const issuedAt = (url: string): number => {
    const payload = new URL(url).searchParams.get('token')?.split('.')[1] ?? '';
    return (JSON.parse(Buffer.from(payload, 'base64url').toString()) as { iat: number }).iat;
  };

  it('sends refetchEvaluation with a stable id, etag and lastModified on a change; the refetch sees it', async () => {
    const { url } = await bulk();
    const stream = await open(url);
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toBe('text/event-stream');
    await stream.waitFor(() => stream.heartbeats > 0);
    await change('on');
    const event = await stream.next();
    const refetch = refetchOf(event);
    expect(event).toMatchObject({ event: 'message', id: refetch.etag });
    expect(refetch).toEqual({
      type: 'refetchEvaluation',
      etag: expect.stringMatching(/^[0-9a-f]{32}$/) as string,
      lastModified: expect.any(Number) as number,
    });
    expect(Math.abs(refetch.lastModified - Date.now() / 1000)).toBeLessThan(60);
    const query = `?flagConfigEtag=${refetch.etag}&flagConfigLastModified=${refetch.lastModified}`;
    const after = await bulk(query);
    expect(after.body.flags.find((f) => f.key === 'events-probe')?.value).toBe(true);
    // The same URL in the same issue window (tokens are issued per 15 minutes): the web provider
    // keeps its stream across refetches. A run that crosses a window's end gets the next one's.
    if (issuedAt(after.url) === issuedAt(url)) {
      expect(after.url).toBe(url);
    } else {
      expect(issuedAt(after.url) - issuedAt(url)).toBe(15 * 60);
    }
  });

  it('replays what a client missed on Last-Event-ID, and nothing when it is up to date', async () => {
    const { url } = await bulk();
    const first = await open(url);
    await first.waitFor(() => first.heartbeats > 0);
    const replayedAtOpen = first.received.length;
    await change('off');
    await first.waitFor(() => first.received.length > replayedAtOpen);
    const seen = first.received.at(-1) as SseEvent;
    first.close();
    await change('on');
    const behind = await open(url, { 'last-event-id': seen.id ?? '' });
    const replayed = await behind.next();
    expect(replayed.id).not.toBe(seen.id);
    expect(refetchOf(replayed).type).toBe('refetchEvaluation');
    const current = await open(url, { 'last-event-id': replayed.id ?? '' });
    await current.waitFor(() => current.heartbeats > 1, 10_000, 'a second heartbeat');
    expect(current.received).toEqual([]);
  });

  it('tells a new stream of a change made seconds before it opened', async () => {
    const { url } = await bulk();
    await change('off');
    const late = await open(url);
    const event = await late.next();
    expect(refetchOf(event).etag).toBe(event.id);
  });

  it('refuses a stream without a valid token of its own, and its token opens nothing else', async () => {
    const { url } = await bulk();
    const token = new URL(url).searchParams.get('token') ?? '';
    const sdkToken = await authenticate(t.app, PRODUCTION_SERVER_SDK_KEY);
    for (const bad of ['', 'garbage', sdkToken, `${token.slice(0, -2)}xx`]) {
      const refused = await open(`${t.url}/ofrep/v1/events?token=${bad}`);
      expect(refused.status).toBe(401);
    }
    const harness = await fetch(`${t.url}/client/env/${PRODUCTION_ENV_UUID}/feature-configs`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(harness.status).toBe(401);
  });

  it('counts against SDK_STREAM_LIMIT with Harness SDK streams', async () => {
    const { url } = await bulk();
    const held = [await open(url), await open(url), await open(url)];
    held.forEach((client) => expect(client.status).toBe(200));
    const refused = await open(url);
    expect(refused.status).toBe(503);
    expect(JSON.parse(refused.errorBody ?? '{}')).toMatchObject({ errorCode: 'GENERAL' });
    const sdkToken = await authenticate(t.app, PRODUCTION_SERVER_SDK_KEY);
    const harness = await open(`${t.url}/stream`, {
      'api-key': PRODUCTION_SERVER_SDK_KEY,
      authorization: `Bearer ${sdkToken}`,
    });
    expect(harness.status).toBe(503);
  });

  it('is reachable cross-origin', async () => {
    const { url } = await bulk();
    const stream = await open(url, { origin: 'https://app.example' });
    expect(stream.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('is ended at shutdown', async () => {
    const own = await createTestApp({}, { listen: true });
    const response = await fetch(`${own.url}/ofrep/v1/evaluate/flags`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': PRODUCTION_SERVER_SDK_KEY },
      body: JSON.stringify(CONTEXT),
    });
    const { eventStreams } = (await response.json()) as {
      eventStreams: { endpoint: { requestUri: string } }[];
    };
    const stream = await open(`${own.url}${eventStreams[0]?.endpoint.requestUri ?? ''}`);
    await stream.waitFor(() => stream.heartbeats > 0);
    await own.close();
    expect(await stream.ended).toEqual({ kind: 'eof' });
  });
});

describe('GET /ofrep/v1/events of a removed SDK key', () => {
  const ADMIN = {
    authorization: 'Bearer ofrep-admin-token-of-32-characters-x',
    'content-type': 'application/json',
  };
  let redis: RedisServer;
  let t: TestApp;
  beforeAll(async () => {
    redis = await RedisServer.start();
    t = await createTestApp(
      { REDIS_ADDRESS: redis.address, ADMIN_API_TOKEN: 'ofrep-admin-token-of-32-characters-x' },
      { listen: true, keepRedis: true },
    );
  });
  afterAll(async () => {
    await t?.close();
    await redis?.stop();
  });

  it('is ended, and neither it nor evaluation opens again', async () => {
    const created = await fetch(`${t.url}/admin/v1/environments/${PRODUCTION_ENV_UUID}/sdk-keys`, {
      method: 'POST',
      headers: ADMIN,
      body: JSON.stringify({ kind: 'client' }),
    });
    const { key, fingerprint } = (await created.json()) as { key: string; fingerprint: string };
    const evaluate = () =>
      fetch(`${t.url}/ofrep/v1/evaluate/flags`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': key },
        body: JSON.stringify(CONTEXT),
      });
    const answer = (await (await evaluate()).json()) as {
      eventStreams: { endpoint: { requestUri: string } }[];
    };
    const url = `${t.url}${answer.eventStreams[0]?.endpoint.requestUri ?? ''}`;
    const stream = await SseClient.connect(url);
    await stream.waitFor(() => stream.heartbeats > 0);
    const removed = await fetch(
      `${t.url}/admin/v1/environments/${PRODUCTION_ENV_UUID}/sdk-keys/${fingerprint}?gracePeriod=0s`,
      { method: 'DELETE', headers: { authorization: ADMIN.authorization } },
    );
    expect(removed.status).toBe(204);
    expect((await stream.ended).kind).toBe('eof');
    expect((await SseClient.connect(url)).status).toBe(401);
    expect((await evaluate()).status).toBe(401);
  });
});
