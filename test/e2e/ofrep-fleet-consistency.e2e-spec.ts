import { PathRouter } from '../support/path-router.js';
import { SseClient } from '../support/sse-client.js';
import { type Instance, startTopology, type Topology } from '../support/topology.js';

const CONTEXT = JSON.stringify({ context: { targetingKey: 'fleet-user' } });
const CHANGES = 6;

interface Bulk {
  flags: { key: string; value?: unknown }[];
  eventStreams: { endpoint: { requestUri: string } }[];
}

/**
 * An OFREP web client hears of a change on its event stream from one instance and refetches every
 * flag from another, through the load balancer; it refetches once per event, as the provider
 * does, so that one refetch must already carry the change.
 */
describe.each([
  ['event stream on the primary, refetches on a replica', 'primary'],
  ['event stream on a replica, refetches on the primary', 'replica'],
] as const)('OFREP fleet consistency: %s', (_, streamOn) => {
  let top: Topology;
  let router: PathRouter;

  beforeAll(async () => {
    // Many flags: a replica applies a change by reloading the environment, which takes a while.
    top = await startTopology('single', { readReplicas: 1, extraFlags: 400 });
    const [replica] = top.replicas as [Instance];
    const [streams, fetches] =
      streamOn === 'primary' ? [top.primary, replica] : [replica, top.primary];
    router = new PathRouter((path) =>
      path.startsWith('/ofrep/v1/events') ? streams.url : fetches.url,
    );
    await router.start();
  }, 90_000);

  afterAll(async () => {
    await router?.stop();
    await top?.stop();
  });

  async function bulk(
    query: string,
    etag: string,
  ): Promise<{ status: number; etag: string; body?: Bulk }> {
    const response = await fetch(`${router.url}/ofrep/v1/evaluate/flags${query}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-api-key': top.sdkKey,
        'if-none-match': etag,
      },
      body: CONTEXT,
    });
    const body = response.status === 200 ? ((await response.json()) as Bulk) : undefined;
    return { status: response.status, etag: response.headers.get('etag') ?? '', body };
  }

  /**
   * The next event, as a browser's EventSource gets it: when the instance ends the stream (its
   * upstream stream dropped on a loaded machine, which closes every stream), it reconnects with
   * `Last-Event-ID` and is sent what it missed.
   */
  async function nextEvent(url: string, state: { stream: SseClient; lastId: string }) {
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        const event = await state.stream.next(15_000);
        state.lastId = event.id ?? state.lastId;
        return event;
      } catch (error) {
        if (!state.stream.end || Date.now() > deadline) {
          throw error;
        }
        await new Promise((resolve) => setTimeout(resolve, 500));
        const headers: Record<string, string> = state.lastId
          ? { 'last-event-id': state.lastId }
          : {};
        state.stream = await SseClient.connect(url, { headers });
      }
    }
  }

  it(`the one refetch after each of ${CHANGES} events serves the change`, async () => {
    await expect.poll(() => top.primary.streamState()).toBe('CONNECTED');
    const first = await bulk('', '');
    let etag = first.etag;
    const url = `${router.url}${first.body?.eventStreams[0]?.endpoint.requestUri}`;
    const state = { stream: await SseClient.connect(url), lastId: '' };
    try {
      await state.stream.waitFor(() => state.stream.heartbeats > 0);
      for (let i = 0; i < CHANGES; i += 1) {
        const on = i % 2 === 0;
        top.upstream.toggleFlag(top.env, 'dark-mode', on ? 'on' : 'off');
        const event = await nextEvent(url, state);
        const { etag: configEtag } = JSON.parse(event.data) as { etag: string };
        const refetch = await bulk(`?flagConfigEtag=${configEtag}`, etag);
        const value = refetch.body?.flags.find((f) => f.key === 'dark-mode')?.value;
        expect({ change: i, status: refetch.status, value }).toEqual({
          change: i,
          status: 200,
          value: on,
        });
        etag = refetch.etag;
      }
    } finally {
      state.stream.close();
    }
  });
});
