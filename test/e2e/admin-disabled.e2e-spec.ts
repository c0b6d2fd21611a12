import { createTestApp } from '../support/create-test-app.js';

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
