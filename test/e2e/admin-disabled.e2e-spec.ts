import { buildProxy, spawnProxy } from '../support/built-proxy.js';
import { createTestApp } from '../support/create-test-app.js';
import { freePort } from '../support/ports.js';

describe('Admin API without ADMIN_API_TOKEN', () => {
  it('is not mounted: every /admin route is a 404, whatever the token', async () => {
    const t = await createTestApp({}, { inMemory: true });
    try {
      for (const [method, url] of [
        ['GET', '/admin/v1/keys'],
        ['POST', '/admin/v1/auth-secret/rotate'],
      ] as const) {
        const response = await t.app.inject({
          method,
          url,
          headers: { authorization: 'Bearer anything' },
          ...(method === 'POST' ? { payload: { gracePeriod: '0s' } } : {}),
        });
        expect(response.statusCode).toBe(404);
      }
    } finally {
      await t.close();
    }
  });
});

describe('ADMIN_API_TOKEN at boot', () => {
  beforeAll(() => buildProxy(), 60_000);

  it('refuses a token shorter than 32 characters: exit 1, one line naming it, not its value', async () => {
    const token = 'a-guessable-admin-token';
    const proxy = spawnProxy({
      OFFLINE: 'true',
      ADMIN_API_TOKEN: token,
      PORT: String(await freePort()),
    });
    const stillRunning = new Promise<string>((resolve) => setTimeout(resolve, 20_000, 'running'));
    try {
      expect(await Promise.race([proxy.exited, stillRunning])).toBe(1);
    } finally {
      proxy.child.kill('SIGKILL');
    }
    const lines = proxy.stderr().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('ADMIN_API_TOKEN must be at least 32 characters');
    expect(`${proxy.stdout()}${proxy.stderr()}`).not.toContain(token);
  });
});
