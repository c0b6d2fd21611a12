import { connect } from 'node:net';
import { MemoryMirror } from '../../src/cache/memory-mirror.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { PRODUCTION_SERVER_SDK_KEY } from '../support/example-config.js';

const auth = (t: TestApp, apiKey: string) =>
  t.app.inject({ method: 'POST', url: '/client/auth', payload: { apiKey } });

describe('floods of /client/auth', () => {
  it('answers 429 once one address passes AUTH_RATE_LIMIT a minute', async () => {
    const t = await createTestApp({ AUTH_RATE_LIMIT: '50' }, { inMemory: true });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 60; i += 1) {
        statuses.push((await auth(t, `wrong-key-${i}`)).statusCode);
      }
      expect(statuses.slice(0, 50).every((s) => s === 401)).toBe(true);
      expect(statuses.slice(50).every((s) => s === 429)).toBe(true);
      const limited = await auth(t, PRODUCTION_SERVER_SDK_KEY);
      expect(limited.statusCode).toBe(429);
      expect(limited.json()).toMatchObject({ statusCode: 429 });
    } finally {
      await t.close();
    }
  });

  it('takes 20,000 wrong keys with bounded memory and keeps serving', async () => {
    const t = await createTestApp({ AUTH_RATE_LIMIT: '0' });
    try {
      // 20 at a time: each wrong key is a Redis lookup, and a loaded machine makes them slow.
      for (let i = 0; i < 20_000; i += 20) {
        const batch = Array.from({ length: 20 }, (_, j) => auth(t, `guess-${i + j}`));
        for (const response of await Promise.all(batch)) {
          expect(response.statusCode).toBe(401);
        }
      }
      expect(t.app.get(MemoryMirror).size.unknownKeys).toBeLessThanOrEqual(10_000);
      expect((await auth(t, PRODUCTION_SERVER_SDK_KEY)).statusCode).toBe(200);
    } finally {
      await t.close();
    }
  }, 180_000);
});

describe('CR/LF in headers', () => {
  it('is refused by the HTTP parser before any handler, log line or SSE frame sees it', async () => {
    const t = await createTestApp({}, { listen: true, inMemory: true });
    try {
      const port = Number(new URL(t.url ?? '').port);
      const answer = await new Promise<string>((resolve) => {
        let text = '';
        const socket = connect({ host: '127.0.0.1', port }, () => {
          socket.write('GET /stream HTTP/1.1\r\nHost: x\r\nAPI-Key: a\rb: injected\r\n\r\n');
        });
        socket.on('data', (chunk) => (text += chunk.toString()));
        socket.on('close', () => resolve(text));
        socket.on('error', () => resolve(text));
      });
      expect(answer).toMatch(/^HTTP\/1\.1 400/);
    } finally {
      await t.close();
    }
  });
});
