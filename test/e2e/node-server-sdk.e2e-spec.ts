import type { Client } from '@harnessio/ff-nodejs-server-sdk';
import type { FeatureConfig } from '../../src/model/feature-config.js';
import { SdkMetricsService } from '../../src/sdk-metrics/sdk-metrics.service.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import {
  EXAMPLE_ENVIRONMENTS,
  EXPECTED_EVALUATIONS,
  type ExampleEnvironmentName,
} from '../support/example-config.js';
import { nextChange, nodeSdkClient, variation } from '../support/node-sdk.js';
import { OfflineConfigEditor } from '../support/offline-config-editor.js';

describe('unmodified @harnessio/ff-nodejs-server-sdk against the proxy', () => {
  let t: TestApp;
  const clients: Client[] = [];

  beforeAll(async () => {
    t = await createTestApp({}, { listen: true });
  });
  afterAll(async () => {
    clients.forEach((client) => client.close());
    await t.close();
  });

  async function connect(env: ExampleEnvironmentName): Promise<Client> {
    const client = nodeSdkClient(EXAMPLE_ENVIRONMENTS[env].serverSdkKey, t.url ?? '');
    clients.push(client);
    await client.waitForInitialization();
    return client;
  }

  describe.each(['production', 'staging'] as const)('%s', (env) => {
    let client: Client;
    beforeAll(async () => {
      client = await connect(env);
    });

    it.each(EXPECTED_EVALUATIONS[env].map((row) => [row.target.identifier, row] as const))(
      'evaluates every flag to the documented value for %s',
      async (_id, row) => {
        const target = { ...row.target, attributes: { ...row.target.attributes } };
        for (const [flag, expected] of Object.entries(row.values)) {
          const kind = EXAMPLE_ENVIRONMENTS[env].flags[flag];
          const actual = kind && (await variation(client, kind, flag, target));
          expect({ flag, value: actual }).toEqual({ flag, value: expected });
        }
      },
    );
  });

  it('hears about a flag changed in the cache over SSE, re-fetches it and evaluates anew', async () => {
    const client = await connect('production');
    const target = { identifier: 'someone-new', name: 'Someone' };
    expect(await client.boolVariation('legacy-reports', target, false)).toBe(false);
    const flags = await fetchFlags(EXAMPLE_ENVIRONMENTS.production.uuid);
    const legacy = flags.find((f) => f.feature === 'legacy-reports') as FeatureConfig;
    const changed = nextChange(client);
    await new OfflineConfigEditor(t.app).upsertFlag(EXAMPLE_ENVIRONMENTS.production.uuid, {
      ...legacy,
      state: 'on',
      defaultServe: { variation: 'true' },
      version: (legacy.version ?? 0) + 1,
    });
    expect(await changed).toBe('legacy-reports');
    expect(await client.boolVariation('legacy-reports', target, false)).toBe(true);
  });

  it('posts its metrics, which the proxy accepts', async () => {
    const client = await connect('staging');
    await client.boolVariation('dark-mode', { identifier: 'metrics-user', name: 'M' }, false);
    const metrics = t.app.get(SdkMetricsService);
    const before = metrics.droppedCount;
    // The SDK flushes its metrics when it is closed.
    client.close();
    await expect.poll(() => metrics.droppedCount, { timeout: 10_000 }).toBeGreaterThan(before);
  });

  async function fetchFlags(env: string): Promise<FeatureConfig[]> {
    const auth = await fetch(`${t.url}/client/auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apiKey: EXAMPLE_ENVIRONMENTS.production.serverSdkKey }),
    });
    const { authToken } = (await auth.json()) as { authToken: string };
    const response = await fetch(`${t.url}/client/env/${env}/feature-configs`, {
      headers: { authorization: `Bearer ${authToken}` },
    });
    return (await response.json()) as FeatureConfig[];
  }
});
