import { connect, type Socket } from 'node:net';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { PRODUCTION_SERVER_SDK_KEY } from '../support/example-config.js';
import { authenticate, bearer } from '../support/sdk-requests.js';
import { SseClient } from '../support/sse-client.js';

interface Closed {
  afterMs: number;
  /** What the server wrote before closing: nothing (idle timeout) or a 408 (request timeout). */
  received: string;
}

/**
 * Resolves once the server has closed the socket (or rejects after `maxMs`). The socket is read:
 * a socket whose data nobody consumes never emits `end`, so it would never see `close` after the
 * server's 408.
 */
function closedWithin(socket: Socket, maxMs: number): Promise<Closed> {
  const started = Date.now();
  let received = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => (received += chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`still open after ${maxMs} ms`)), maxMs);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve({ afterMs: Date.now() - started, received });
    });
  });
}

/** Either timer may win: the idle timeout closes silently, the request timeout answers 408. */
function expectTimedOut({ received }: Closed): void {
  expect(['', 'HTTP/1.1 408']).toContain(received.slice(0, 'HTTP/1.1 408'.length));
}

/** Silent and slow clients are cut off; SDK streams, which heartbeat, are not. */
describe('HTTP connection timeouts', () => {
  let t: TestApp;
  let port: number;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    t = await createTestApp(
      { HTTP_IDLE_TIMEOUT: '20s', HTTP_REQUEST_TIMEOUT: '2s', SSE_HEARTBEAT_INTERVAL: '1' },
      { listen: true, inMemory: true },
    );
    port = Number(new URL(t.url ?? '').port);
  });
  afterAll(async () => {
    sockets.forEach((socket) => socket.destroy());
    await t.close();
  });

  function open(): Promise<Socket> {
    return new Promise((resolve) => {
      const socket = connect({ host: '127.0.0.1', port }, () => resolve(socket));
      socket.on('error', () => undefined);
      sockets.push(socket);
    });
  }

  it('closes a connection that never sends a byte', async () => {
    const socket = await open();
    // Generous: this process also hosts the server, and CI runs other suites beside it.
    expectTimedOut(await closedWithin(socket, 15_000));
  });

  it('closes a client that trickles its headers, however busy it looks', async () => {
    const socket = await open();
    socket.write('GET /health HTTP/1.1\r\nHost: x\r\n');
    const trickle = setInterval(() => socket.write('X-Slow: 1\r\n'), 300);
    try {
      expectTimedOut(await closedWithin(socket, 15_000));
    } finally {
      clearInterval(trickle);
    }
  });

  it('keeps an SDK stream open well past both timeouts', async () => {
    const token = await authenticate(t.app, PRODUCTION_SERVER_SDK_KEY);
    const stream = await SseClient.connect(`${t.url}/stream`, {
      headers: { ...bearer(token), 'API-Key': PRODUCTION_SERVER_SDK_KEY },
    });
    try {
      await stream.waitFor(() => stream.heartbeats >= 5, 9_000, 'five heartbeats');
      const response = await fetch(`${t.url}/health`);
      expect(response.status).toBe(200);
    } finally {
      stream.close();
    }
  });
});
