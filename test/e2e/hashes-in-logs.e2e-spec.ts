import { sha256Hex } from '../../src/cache/cache-keys.js';
import { buildProxy } from '../support/built-proxy.js';
import { freePort } from '../support/ports.js';
import { RedisServer } from '../support/redis-server.js';
import { Instance } from '../support/topology.js';
import { booleanFlag, environmentSeed } from '../support/upstream-emulator/fixtures.js';
import { UpstreamEmulator } from '../support/upstream-emulator/upstream-emulator.js';

const TOKEN = 'admin-token-for-the-hashes-in-logs';

/**
 * A whole SHA-256 of a proxy or SDK key is as good as the key to whoever can guess keys offline:
 * logs show 12-hex fingerprints only, also in the lines about cache keys named by a hash.
 */
describe('hashes in logs', () => {
  let redis: RedisServer;
  let emulator: UpstreamEmulator;
  let primary: Instance;

  beforeAll(async () => {
    await buildProxy();
    redis = await RedisServer.start();
    const seed = environmentSeed({ featureConfigs: [booleanFlag('dark-mode')] });
    emulator = new UpstreamEmulator({ seed: { environments: [seed] }, heartbeatMs: 500 });
    await emulator.start();
    primary = new Instance('primary', await freePort(), {
      PROXY_KEY: emulator.proxyKey,
      CLIENT_SERVICE: emulator.url,
      METRIC_SERVICE: emulator.metricsUrl,
      REDIS_ADDRESS: redis.address,
      AUTH_SECRET: 'hashes-in-logs-secret',
      ADMIN_API_TOKEN: TOKEN,
      ADMIN_SERVICE: emulator.adminUrl,
      ADMIN_SERVICE_TOKEN: emulator.adminApiKey,
      PROXY_KEY_IDENTIFIER: 'relay-proxy',
      ACCOUNT_IDENTIFIER: emulator.account,
      LOG_LEVEL: 'DEBUG',
    });
    await primary.start();
  }, 60_000);
  afterAll(async () => {
    await primary.kill();
    await emulator.stop();
    await redis.stop();
  });

  it('names the data of a previous proxy key by its fingerprint when it is purged', async () => {
    const previous = emulator.proxyKey;
    const rotated = await fetch(`${primary.url}/admin/v1/proxy-key/rotate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ gracePeriod: '1h' }),
    });
    expect(rotated.status).toBe(200);
    await expect
      .poll(() => primary.output(), { timeout: 15_000 })
      .toContain('purged the data of a previous proxy key');
    const logs = primary.output();
    expect(logs).toContain(sha256Hex(previous).slice(0, 12));
    expect(logs.match(/[0-9a-f]{64}/g) ?? []).toEqual([]);
  });
});
