import type { Client } from '@harnessio/ff-nodejs-server-sdk';
import { nodeSdkClient } from '../support/node-sdk.js';
import { PathRouter } from '../support/path-router.js';
import type { RedisServer } from '../support/redis-server.js';
import { SseClient } from '../support/sse-client.js';
import { type Instance, startTopology, type Topology } from '../support/topology.js';
import { authToken } from '../support/topology-requests.js';

const TARGET = { identifier: 'fleet-user', name: 'Fleet User' };
const CHANGES = 8;

/**
 * An SDK hears of a change from one instance and fetches the flag from another, through the
 * load balancer. The instance it fetches from must answer with the change, not the version
 * before it: the SDK fetches once per event and never again until the next one.
 */
describe.each([
  ['stream on the primary, fetches on a replica', 'primary'],
  ['stream on a replica, fetches on the primary', 'replica'],
] as const)('fleet consistency: %s', (_, streamOn) => {
  let top: Topology;
  let router: PathRouter;
  let client: Client;

  beforeAll(async () => {
    // Many flags: a replica applies a change by reloading the environment, which takes a while.
    top = await startTopology('single', { readReplicas: 1, extraFlags: 400 });
    const [replica] = top.replicas as [Instance];
    const [streams, fetches] =
      streamOn === 'primary' ? [top.primary, replica] : [replica, top.primary];
    router = new PathRouter((path) => (path.startsWith('/stream') ? streams.url : fetches.url));
    await router.start();
    client = nodeSdkClient(top.sdkKey, router.url);
    await client.waitForInitialization();
  }, 90_000);

  afterAll(async () => {
    client?.close();
    await router?.stop();
    await top?.stop();
  });

  it(`the SDK serves each of ${CHANGES} changes, one after another`, async () => {
    await expect.poll(() => top.primary.streamState()).toBe('CONNECTED');
    for (let i = 0; i < CHANGES; i += 1) {
      const on = i % 2 === 0;
      top.upstream.toggleFlag(top.env, 'dark-mode', on ? 'on' : 'off');
      // The SDK does not poll while its stream is up: only the fetch after the event can bring it.
      await expect.poll(() => client.boolVariation('dark-mode', TARGET, !on)).toBe(on);
    }
  });
});

/**
 * A primary that starts on a Redis that came back empty has nothing to compare its load with,
 * so it announces nothing; a flag changed while no primary ran must still reach the SDKs of a
 * replica that served the old version all along (their streams never dropped).
 */
describe('fleet consistency: a cold primary after Redis came back empty', () => {
  let top: Topology;
  let client: Client;

  beforeAll(async () => {
    top = await startTopology('single', { readReplicas: 1 });
    client = nodeSdkClient(top.sdkKey, (top.replicas[0] as Instance).url);
    await client.waitForInitialization();
  }, 90_000);

  afterAll(async () => {
    client?.close();
    await top?.stop();
  });

  it("the replica's SDKs get the change the cold primary loaded", async () => {
    expect(await client.boolVariation('dark-mode', TARGET, true)).toBe(false);
    await top.primary.kill();
    await (top.redis as RedisServer).restart({ empty: true });
    top.upstream.toggleFlag(top.env, 'dark-mode', 'on');
    await top.primary.start();
    await expect
      .poll(() => client.boolVariation('dark-mode', TARGET, false), { timeout: 20_000 })
      .toBe(true);
  });
});

/**
 * An SDK whose instance went away may reconnect to one that started after a change was
 * announced: that instance replays what the fleet announced in the last two minutes too.
 */
describe('fleet consistency: an instance started after a change replays it', () => {
  let top: Topology;

  beforeAll(async () => {
    top = await startTopology('single', { readReplicas: 2, started: false });
    await top.primary.start();
    await (top.replicas[0] as Instance).start();
  }, 90_000);

  afterAll(async () => {
    await top?.stop();
  });

  it('a stream opened on a replica started after the change gets the change first', async () => {
    const version = top.upstream.toggleFlag(top.env, 'dark-mode', 'on').version;
    // Announced: the running replica serves it.
    const token = await authToken(top.primary, top.sdkKey, TARGET);
    const served = async (instance: Instance) => {
      const response = await fetch(
        `${instance.url}/client/env/${top.env}/feature-configs/dark-mode`,
        {
          headers: { authorization: `Bearer ${token}` },
        },
      );
      return ((await response.json()) as { version?: number }).version;
    };
    await expect.poll(() => served(top.replicas[0] as Instance)).toBe(version);
    const late = top.replicas[1] as Instance;
    await late.start();
    const stream = await SseClient.connect(`${late.url}/stream?cluster=1`, {
      headers: { authorization: `Bearer ${token}`, 'API-Key': top.sdkKey },
    });
    try {
      await stream.waitFor(() => stream.chunks.join('').includes('"identifier":"dark-mode"'));
      // In the very first chunk, before the heartbeat: the Node SDK drops a chunk that starts
      // with `:`.
      expect(stream.chunks[0]).toMatch(/^event: \*\ndata: .*"identifier":"dark-mode","version":/);
    } finally {
      stream.close();
    }
  });
});
