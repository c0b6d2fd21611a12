import { StreamHub } from '../../src/stream/stream-hub.service.js';
import { StreamSlots } from '../../src/stream/stream-slots.service.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { PRODUCTION_ENV_UUID, PRODUCTION_SERVER_SDK_KEY } from '../support/example-config.js';
import { parseScrape, type Scrape } from '../support/prometheus-text.js';
import { authenticate, bearer } from '../support/sdk-requests.js';
import { SseClient } from '../support/sse-client.js';

const LIMIT = 3;

async function scrape(t: TestApp): Promise<Scrape> {
  return parseScrape((await t.app.inject({ url: '/metrics' })).body);
}

/** The app a suite's `beforeAll` starts, and the SDK headers for it. */
class StreamAppState {
  private app?: TestApp;
  headers: Record<string, string> = {};

  get t(): TestApp {
    if (!this.app) {
      throw new Error('the app is started in beforeAll');
    }
    return this.app;
  }

  set t(app: TestApp) {
    this.app = app;
  }
}

/** A test app with listening port, its SDK headers and the streams it opened (closed after). */
function streamApp(env: Record<string, string>) {
  const state = new StreamAppState();
  const open: SseClient[] = [];
  beforeAll(async () => {
    state.t = await createTestApp(env, { listen: true });
    const token = await authenticate(state.t.app, PRODUCTION_SERVER_SDK_KEY);
    state.headers = { ...bearer(token), 'API-Key': PRODUCTION_SERVER_SDK_KEY };
  });
  afterEach(async () => {
    open.splice(0).forEach((client) => client.close());
    // The server sees the clients go a moment later: the next test starts with every slot free.
    await expect.poll(() => state.t.app.get(StreamSlots).held, { timeout: 5_000 }).toBe(0);
  });
  afterAll(() => state.t.close());
  const connect = async (): Promise<SseClient> => {
    const client = await SseClient.connect(`${state.t.url}/stream?cluster=1`, {
      headers: state.headers,
    });
    open.push(client);
    return client;
  };
  return { state, connect };
}

describe('GET /stream with SDK_STREAM_LIMIT', () => {
  const { state, connect } = streamApp({ SDK_STREAM_LIMIT: String(LIMIT) });
  const held = (): number => state.t.app.get(StreamSlots).held;

  it('lets exactly the limit in among concurrent requests; the others get 503, Retry-After, JSON', async () => {
    const clients = await Promise.all(Array.from({ length: LIMIT + 5 }, () => connect()));
    const accepted = clients.filter((c) => c.status === 200);
    const refused = clients.filter((c) => c.status !== 200);
    expect(accepted).toHaveLength(LIMIT);
    expect(held()).toBe(LIMIT);
    expect(state.t.app.get(StreamHub).connectionCount).toBe(LIMIT);
    for (const client of refused) {
      expect(client.status).toBe(503);
      expect(Number(client.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(client.headers.get('content-type')).toMatch(/^application\/json/);
      expect(JSON.parse(client.errorBody ?? '')).toMatchObject({
        statusCode: 503,
        code: 'STREAM_LIMIT_REACHED',
        message: expect.stringContaining(`limit of ${LIMIT} SDK streams`),
      });
    }
    const metrics = await scrape(state.t);
    expect(metrics.value('ff_proxy_sdk_streams')).toBe(LIMIT);
    expect(metrics.value('ff_proxy_sdk_streams_limit')).toBe(LIMIT);
    expect(metrics.value('ff_proxy_sdk_streams_refused_total', { reason: 'limit' })).toBe(5);
  });

  it('frees a slot when a stream closes, whichever side ends it', async () => {
    const clients = await Promise.all(Array.from({ length: LIMIT }, () => connect()));
    expect(clients.every((c) => c.status === 200)).toBe(true);
    expect((await connect()).status).toBe(503);

    clients[0]?.close();
    await expect.poll(held, { timeout: 5_000 }).toBe(LIMIT - 1);
    const next = await connect();
    expect(next.status).toBe(200);
    await next.waitFor(() => next.heartbeats > 0);

    // The relay ending streams (upstream lost, key removed) frees their slots too.
    state.t.app.get(StreamHub).closeEnvironment(PRODUCTION_ENV_UUID);
    await expect.poll(held, { timeout: 5_000 }).toBe(0);
    expect((await connect()).status).toBe(200);
  });

  it('counts no HEAD request and no refused stream as held', async () => {
    const head = await fetch(`${state.t.url}/stream`, { method: 'HEAD', headers: state.headers });
    expect(head.status).toBe(200);
    await Promise.all(Array.from({ length: LIMIT + 2 }, () => connect()));
    expect(held()).toBe(LIMIT);
  });
});

describe('GET /stream with SDK_STREAM_MAX_AGE', () => {
  const AGE_MS = 2_000;
  /** The sweep runs every second; the rest is room for a loaded 2-core machine. */
  const LATEST_MS = AGE_MS * 1.25 + 1_000 + 4_000;
  const { state, connect } = streamApp({ SDK_STREAM_MAX_AGE: `${AGE_MS}ms` });

  it('ends each stream cleanly after its age plus at most 25 %, and frees its slot', async () => {
    const startedAt = Date.now();
    const clients = await Promise.all(Array.from({ length: 6 }, () => connect()));
    expect(clients.every((c) => c.status === 200)).toBe(true);
    const ends = await Promise.all(
      clients.map(async (client) => {
        await client.waitFor(() => client.end !== undefined, LATEST_MS + 5_000, 'its end');
        return { end: client.end, afterMs: Date.now() - startedAt };
      }),
    );
    for (const { end, afterMs } of ends) {
      expect(end).toEqual({ kind: 'eof' });
      // Asked before the stream was held, so its age can only be longer than measured here.
      expect(afterMs).toBeGreaterThanOrEqual(AGE_MS);
      expect(afterMs).toBeLessThan(LATEST_MS);
    }
    await expect.poll(() => state.t.app.get(StreamSlots).held, { timeout: 5_000 }).toBe(0);
    const metrics = await scrape(state.t);
    expect(metrics.value('ff_proxy_sdk_streams_ended_total', { reason: 'max_age' })).toBe(6);
    expect(metrics.value('ff_proxy_sdk_streams')).toBe(0);
  });
});
