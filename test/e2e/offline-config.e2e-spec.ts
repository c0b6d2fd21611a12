import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256Hex } from '../../src/cache/cache-keys.js';
import { createTestApp } from '../support/create-test-app.js';
import { testRedisClient } from '../support/redis.js';
import { authenticate, bearer } from '../support/sdk-requests.js';

const ENV = '11111111-2222-4333-8444-555555555555';

describe('offline mode (OFFLINE=true, CONFIG_DIR)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ff-relay-offline-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  async function writeEnv(files: Record<string, string>, parent = dir): Promise<string> {
    const envDir = join(parent, `env-${ENV}`);
    await mkdir(envDir, { recursive: true });
    for (const [name, content] of Object.entries(files)) {
      await writeFile(join(envDir, name), content);
    }
    return envDir;
  }

  it('loads nested env- directories, missing files as empty, targets.json = null', async () => {
    await writeEnv(
      {
        'auth_config.json': JSON.stringify([sha256Hex('k1')]),
        'targets.json': 'null',
        'README.md': 'ignored',
      },
      join(dir, 'nested', 'deeper'),
    );
    const t = await createTestApp({ CONFIG_DIR: dir });
    try {
      const token = await authenticate(t.app, 'k1');
      const flags = await t.app.inject({
        url: `/client/env/${ENV}/feature-configs`,
        headers: bearer(token),
      });
      expect(flags.json()).toEqual([]);
      // Offline lists are written even when empty, with their -latest companions.
      const redis = testRedisClient();
      expect(await redis.get(`env-${ENV}-feature-configs`)).toBe('[]');
      expect(await redis.get(`env-${ENV}-feature-configs-latest`)).toBe(
        JSON.stringify(sha256Hex('[]')),
      );
      expect(await redis.get(`auth-key-${sha256Hex('k1')}`)).toBe(JSON.stringify(ENV));
      redis.disconnect();
    } finally {
      await t.close();
    }
  });

  it.each([
    ['malformed JSON', { 'feature_config.json': '[{"feature": ' }, 'is not valid JSON'],
    [
      'a file that is not a list',
      { 'segments.json': '{"identifier":"x"}' },
      'must be a JSON array',
    ],
    [
      'flags without identifiers',
      { 'feature_config.json': '[{"kind":"boolean"}]' },
      'must be a JSON array',
    ],
  ])('refuses to boot on %s, naming the file', async (_case, files, message) => {
    const envDir = await writeEnv(files);
    const boot = createTestApp({ CONFIG_DIR: dir }, { inMemory: true });
    await expect(boot).rejects.toThrow(message);
    await expect(boot).rejects.toThrow(envDir);
  });

  it('refuses to boot when CONFIG_DIR does not exist', async () => {
    const boot = createTestApp({ CONFIG_DIR: join(dir, 'missing') }, { inMemory: true });
    await expect(boot).rejects.toThrow('cannot read CONFIG_DIR');
  });
});
