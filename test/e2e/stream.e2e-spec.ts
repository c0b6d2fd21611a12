import type { FeatureConfig } from '../../src/model/feature-config.js';
import { StreamHub } from '../../src/stream/stream-hub.service.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import {
  PRODUCTION_CLIENT_SDK_KEY,
  PRODUCTION_ENV_UUID,
  PRODUCTION_SERVER_SDK_KEY,
  STAGING_ENV_UUID,
  STAGING_SERVER_SDK_KEY,
} from '../support/example-config.js';
import { authenticate, bearer } from '../support/sdk-requests.js';
import { SseClient } from '../support/sse-client.js';
import { OfflineConfigEditor } from '../support/offline-config-editor.js';

describe('GET /stream', () => {
  let t: TestApp;
  let token: string;
  let stagingToken: string;
  const open: SseClient[] = [];

  beforeAll(async () => {
    t = await createTestApp({ SSE_HEARTBEAT_INTERVAL: '1' }, { listen: true });
    token = await authenticate(t.app, PRODUCTION_SERVER_SDK_KEY);
    stagingToken = await authenticate(t.app, STAGING_SERVER_SDK_KEY);
  });
  afterEach(() => open.splice(0).forEach((client) => client.close()));
  afterAll(() => t.close());

  async function connect(headers: Record<string, string>): Promise<SseClient> {
    const client = await SseClient.connect(`${t.url}/stream?cluster=1`, { headers });
    open.push(client);
    return client;
  }

  const sdkHeaders = (apiKey = PRODUCTION_SERVER_SDK_KEY) => ({
    ...bearer(apiKey === STAGING_SERVER_SDK_KEY ? stagingToken : token),
    'API-Key': apiKey,
    'Cache-Control': 'no-cache',
  });

  it('holds an SSE response and sends a bare `:` heartbeat at once', async () => {
    const client = await connect({ ...sdkHeaders(), Origin: 'https://app.example.com' });
    expect(client.status).toBe(200);
    expect(client.headers.get('content-type')).toBe('text/event-stream');
    expect(client.headers.get('cache-control')).toBe('no-cache');
    expect(client.headers.get('access-control-allow-origin')).toBe('*');
    expect(client.headers.get('x-request-id')).toBeTruthy();
    await client.waitFor(() => client.chunks.length > 0);
    expect(client.chunks[0]).toBe(':\n\n');
  });

  it('keeps sending heartbeats, each in its own chunk, while idle', async () => {
    const client = await connect(sdkHeaders());
    await client.waitFor(() => client.heartbeats >= 3, 5000, 'three heartbeats');
    expect(client.chunks.every((chunk) => chunk === ':\n\n')).toBe(true);
  });

  it('sends an event to every SDK of the environment after the cache changed', async () => {
    const server = await connect(sdkHeaders());
    const browser = await connect(sdkHeaders(PRODUCTION_CLIENT_SDK_KEY));
    const other = await connect(sdkHeaders(STAGING_SERVER_SDK_KEY));
    await server.waitFor(() => server.heartbeats > 0);
    const updater = new OfflineConfigEditor(t.app);
    const flag = await currentFlag('dark-mode');
    await updater.upsertFlag(PRODUCTION_ENV_UUID, { ...flag, state: 'off', version: 99 });
    for (const client of [server, browser]) {
      const event = await client.next();
      expect(event.event).toBe('*');
      expect(JSON.parse(event.data)).toEqual({
        event: 'patch',
        domain: 'flag',
        identifier: 'dark-mode',
        version: 99,
        environment: PRODUCTION_ENV_UUID,
        apiKey: '',
      });
    }
    expect(server.text).toMatch(/(^|\n\n)event: \*\ndata: \{[^\n]+\}\n\n/);
    // The SDK re-fetches on the event: the new version must already be readable.
    expect((await currentFlag('dark-mode')).version).toBe(99);
    expect(other.received).toHaveLength(0);
  });

  it('announces deletes and creates of segments too', async () => {
    // Staging: production's streams would first get the replay of the event above.
    const client = await connect(sdkHeaders(STAGING_SERVER_SDK_KEY));
    await client.waitFor(() => client.heartbeats > 0);
    const updater = new OfflineConfigEditor(t.app);
    await updater.upsertSegment(STAGING_ENV_UUID, {
      identifier: 'new-group',
      name: 'New',
      version: 1,
    });
    await updater.deleteSegment(STAGING_ENV_UUID, 'new-group');
    expect(JSON.parse((await client.next()).data)).toMatchObject({
      event: 'create',
      domain: 'target-segment',
    });
    expect(JSON.parse((await client.next()).data)).toMatchObject({
      event: 'delete',
      identifier: 'new-group',
    });
  });

  it('replays recent events to a stream that connects after them (an SDK that was away)', async () => {
    const late = await connect(sdkHeaders());
    // The patch of dark-mode above was announced before this stream existed.
    const replayed = JSON.parse((await late.next()).data) as Record<string, unknown>;
    expect(replayed).toMatchObject({ event: 'patch', identifier: 'dark-mode', version: 99 });
    // Events first: the Node SDK ignores the rest of a chunk that starts with `:`.
    expect(late.chunks[0]).toMatch(/^event: \*\ndata: /);
    await late.waitFor(() => late.heartbeats > 0);
    const other = await connect(sdkHeaders(STAGING_SERVER_SDK_KEY));
    await other.waitFor(() => other.heartbeats > 0);
    // Staging's own events only: the segment created and deleted above.
    const staging = [await other.next(), await other.next()].map(
      (e) => (JSON.parse(e.data) as { environment: string }).environment,
    );
    expect(staging).toEqual([STAGING_ENV_UUID, STAGING_ENV_UUID]);
  });

  it('ends the streams of an environment cleanly when asked to', async () => {
    const client = await connect(sdkHeaders());
    await client.waitFor(() => client.heartbeats > 0);
    t.app.get(StreamHub).closeEnvironment(PRODUCTION_ENV_UUID);
    expect(await client.ended).toEqual({ kind: 'eof' });
  });

  it('400 without an API-Key header', async () => {
    const client = await connect(bearer(token));
    expect(client.status).toBe(400);
    expect(JSON.parse(client.errorBody ?? '')).toMatchObject({
      message: "bad request: API-Key can't be empty",
    });
  });

  it('404 for an API-Key the proxy does not know', async () => {
    const client = await connect(sdkHeaders('no-such-key'));
    expect(client.status).toBe(404);
  });

  it("401 for a token of one environment with another environment's API-Key", async () => {
    const client = await connect({ ...bearer(token), 'API-Key': STAGING_SERVER_SDK_KEY });
    expect(client.status).toBe(401);
    expect(JSON.parse(client.errorBody ?? '')).toMatchObject({ code: 'ENVIRONMENT_MISMATCH' });
  });

  it('answers HEAD with the stream headers and holds nothing open', async () => {
    const response = await fetch(`${t.url}/stream`, { method: 'HEAD', headers: sdkHeaders() });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    expect(t.app.get(StreamHub).connectionCount).toBe(open.length);
  });

  it('401 without a valid token', async () => {
    const client = await connect({ 'API-Key': PRODUCTION_SERVER_SDK_KEY });
    expect(client.status).toBe(401);
  });

  async function currentFlag(feature: string): Promise<FeatureConfig> {
    const response = await fetch(
      `${t.url}/client/env/${PRODUCTION_ENV_UUID}/feature-configs/${feature}`,
      { headers: bearer(token) },
    );
    return (await response.json()) as FeatureConfig;
  }
});

describe('GET /stream on shutdown', () => {
  it('ends every SDK stream cleanly so the server can close', async () => {
    const t = await createTestApp({}, { listen: true });
    const token = await authenticate(t.app, PRODUCTION_SERVER_SDK_KEY);
    const client = await SseClient.connect(`${t.url}/stream`, {
      headers: { ...bearer(token), 'API-Key': PRODUCTION_SERVER_SDK_KEY },
    });
    await client.waitFor(() => client.heartbeats > 0);
    await t.close();
    expect(await client.ended).toEqual({ kind: 'eof' });
  });
});
