import { startTopology, type Topology, TOPOLOGY_ADMIN_TOKEN } from '../support/topology.js';

const admin = { authorization: `Bearer ${TOPOLOGY_ADMIN_TOKEN}` };

interface KeysBody {
  authSecret: {
    previous: { fingerprint: string; uses: number }[];
    previousSecretUses: number;
  };
}

/**
 * The SDK-token secret runbook in the chart's layout: the Admin API is asked on the primary while
 * every SDK request goes to a replica. The uses of the previous secret the operator watches
 * before ending its grace must be the fleet's, not the primary's own (which would read 0).
 */
describe('GET /admin/v1/keys: previous-secret uses across instances', () => {
  let top: Topology;

  beforeAll(async () => {
    top = await startTopology('single', { started: false });
    await top.primary.start();
    await top.replicas[0]?.start();
  }, 90_000);
  afterAll(async () => {
    await top.stop();
  });

  const replica = () => top.replicas[0]?.url ?? '';

  async function keys(url = top.primary.url): Promise<KeysBody> {
    const response = await fetch(`${url}/admin/v1/keys`, { headers: admin });
    expect(response.status).toBe(200);
    return (await response.json()) as KeysBody;
  }

  it('counts the uses SDKs make on a replica, shown on the primary', async () => {
    const auth = await fetch(`${replica()}/client/auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apiKey: top.sdkKey }),
    });
    const { authToken } = (await auth.json()) as { authToken: string };
    const rotated = await fetch(`${top.primary.url}/admin/v1/auth-secret/rotate`, {
      method: 'POST',
      headers: { ...admin, 'content-type': 'application/json' },
      body: JSON.stringify({ gracePeriod: '1h' }),
    });
    expect(rotated.status).toBe(200);
    expect((await keys()).authSecret.previousSecretUses).toBe(0);

    // The replica follows the rotation within 2 s; from then on this token uses the previous one.
    const read = () =>
      fetch(`${replica()}/client/env/${top.env}/feature-configs`, {
        headers: { authorization: `Bearer ${authToken}` },
      });
    await expect.poll(async () => (await keys(replica())).authSecret.previous.length).toBe(1);
    for (let reads = 0; reads < 20; reads += 1) {
      expect((await read()).status).toBe(200);
    }
    await expect
      .poll(async () => (await keys()).authSecret.previousSecretUses, { timeout: 15_000 })
      .toBeGreaterThanOrEqual(20);
    // Exactly the replica's 20 reads: none lost or counted twice, and the primary served none.
    const body = await keys();
    expect(body.authSecret.previousSecretUses).toBe(20);
    expect(body.authSecret.previous[0]?.uses).toBe(20);
  });
});
