import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config/load-config.js';
import { generateOfflineConfig } from '../../src/generate-offline-config.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { startPrimary, waitForSync } from '../support/primary.js';
import { authenticate, bearer } from '../support/sdk-requests.js';
import { booleanFlag, environmentSeed, segment } from '../support/upstream-emulator/fixtures.js';
import { UpstreamEmulator } from '../support/upstream-emulator/upstream-emulator.js';

describe('GENERATE_OFFLINE_CONFIG=true', () => {
  let emulator: UpstreamEmulator;
  let dir: string;
  const seeds = [
    environmentSeed({
      featureConfigs: [
        booleanFlag('dark-mode', { state: 'on' }),
        booleanFlag('segmented', {
          state: 'on',
          defaultServe: { variation: 'false' },
          rules: [
            {
              ruleId: 'r1',
              priority: 1,
              clauses: [
                { attribute: '', op: 'segmentMatch', values: ['beta-users'], negate: false },
              ],
              serve: { variation: 'true' },
            },
          ],
        }),
      ],
      segments: [segment('beta-users')],
    }),
    environmentSeed({ apiKeys: [] }),
  ];

  beforeEach(async () => {
    emulator = new UpstreamEmulator({ seed: { environments: seeds }, pageSize: 1 });
    await emulator.start();
    dir = await mkdtemp(join(tmpdir(), 'ff-relay-generated-'));
  });
  afterEach(async () => {
    await emulator.stop();
    await rm(dir, { recursive: true, force: true });
  });

  let logged: Record<string, unknown>[] = [];
  const generate = (proxyKey = emulator.proxyKey) => {
    logged = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logged.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    return generateOfflineConfig(
      loadConfig({
        GENERATE_OFFLINE_CONFIG: 'true',
        PROXY_KEY: proxyKey,
        CLIENT_SERVICE: emulator.url,
        CONFIG_DIR: dir,
      }),
      sink,
    );
  };

  it('writes the offline layout for every environment and exits 0', async () => {
    expect(await generate()).toBe(0);
    expect((await readdir(dir)).sort()).toEqual(seeds.map((s) => `env-${s.id}`).sort());
    const envDir = join(dir, `env-${seeds[0]?.id}`);
    expect((await readdir(envDir)).sort()).toEqual(
      [
        'README.md',
        'auth_config.json',
        'feature_config.json',
        'segments.json',
        'targets.json',
      ].sort(),
    );
    const auth = await readFile(join(envDir, 'auth_config.json'), 'utf8');
    expect(auth).toMatch(/^\["[0-9a-f]{64}"\]\n$/);
    expect(await readFile(join(envDir, 'targets.json'), 'utf8')).toBe('[]\n');
    expect(await readFile(join(envDir, 'README.md'), 'utf8')).toContain('Number of Features: 2');
    // Its lines name their component as the server's do: `context`, not pino's `name`.
    expect(logged.map((line) => line.msg)).toEqual([
      'service config',
      'environment has no SDK keys',
      'offline config written',
    ]);
    for (const line of logged) {
      expect(line).toMatchObject({ context: 'GenerateOfflineConfig' });
      expect(line).not.toHaveProperty('name');
    }
  });

  it('exits 1 when the upstream refuses the proxy key', async () => {
    const proxyKey = emulator.proxyKey;
    emulator.deleteProxyKey();
    expect(await generate(proxyKey)).toBe(1);
    const failed = logged.find((line) => line.msg === 'could not generate the offline config');
    expect(failed).toMatchObject({
      level: 'error',
      context: 'GenerateOfflineConfig',
      err: { type: expect.any(String), message: expect.any(String) },
    });
  });

  it('round trip: an offline proxy on the generated directory serves what the primary served', async () => {
    expect(await generate()).toBe(0);
    const primary = await startPrimary(emulator);
    await waitForSync(primary);
    const primaryAnswers = await answers(primary);
    await primary.close();
    const offline = await createTestApp({ CONFIG_DIR: dir }, { inMemory: true });
    try {
      expect(await answers(offline)).toEqual(primaryAnswers);
    } finally {
      await offline.close();
    }
  });

  /** Every SDK-visible answer for the first environment, as raw bodies. */
  async function answers(t: TestApp): Promise<Record<string, string>> {
    const seed = seeds[0];
    const token = await authenticate(t.app, seed?.apiKeys?.[0] ?? '');
    const base = `/client/env/${seed?.id}`;
    const paths = [
      `${base}/feature-configs`,
      `${base}/feature-configs/segmented`,
      `${base}/target-segments`,
      `${base}/target-segments?rules=v2`,
      `${base}/target-segments/beta-users?rules=v2`,
      `${base}/target/someone/evaluations`,
    ];
    const target = Buffer.from(
      JSON.stringify({ identifier: 'ann', attributes: { email: 'ann@example.com' } }),
    ).toString('base64');
    const result: Record<string, string> = {};
    for (const path of paths) {
      result[path] = (await t.app.inject({ url: path, headers: bearer(token) })).body;
    }
    const evaluated = await t.app.inject({
      url: `${base}/target/ann/evaluations`,
      headers: { ...bearer(token), 'harness-target': target },
    });
    result.ann = evaluated.body;
    return result;
  }
});
