import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeCertificates } from '../support/certificates.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { PRODUCTION_SERVER_SDK_KEY } from '../support/example-config.js';
import { nodeSdkClient } from '../support/node-sdk.js';

const TARGET = { identifier: 'tls-user', name: 'TLS User' };

/** Native HTTPS (TLS_ENABLED): the unmodified Node SDK trusts our CA and works end to end. */
describe('TLS_ENABLED', () => {
  let dir: string;
  let t: TestApp;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ff-relay-tls-'));
    await makeCertificates(dir);
    t = await createTestApp(
      {
        TLS_ENABLED: 'true',
        TLS_CERT: join(dir, 'server.crt'),
        TLS_KEY: join(dir, 'server.key'),
      },
      { listen: true, inMemory: true },
    );
  });
  afterAll(async () => {
    await t.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves an SDK over https: authentication, flags, the stream and metrics', async () => {
    const url = (t.url ?? '').replace('127.0.0.1', 'localhost');
    expect(url).toMatch(/^https:\/\/localhost:\d+$/);
    const client = nodeSdkClient(PRODUCTION_SERVER_SDK_KEY, url, {
      tlsTrustedCa: join(dir, 'ca.crt'),
    });
    try {
      await client.waitForInitialization();
      // dark-mode serves false to carol by her target rule: a real evaluation, not a default.
      expect(
        await client.boolVariation('dark-mode', { identifier: 'carol', name: 'Carol Chen' }, true),
      ).toBe(false);
      expect(await client.boolVariation('dark-mode', TARGET, false)).toBe(
        await client.boolVariation('dark-mode', TARGET, true),
      );
    } finally {
      client.close();
    }
  });

  it('refuses plain http on the TLS port', async () => {
    const plain = (t.url ?? '').replace('https://', 'http://');
    await expect(fetch(`${plain}/health`)).rejects.toThrow();
  });
});
