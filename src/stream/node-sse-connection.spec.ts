import { request as httpRequest, type IncomingMessage } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { SseConnection } from './sse-connection.js';
import { NodeSseConnection } from './node-sse-connection.js';

interface Held {
  connection: SseConnection;
  socket: Socket;
  /** Settles when the connection reports its close (registered as soon as it is held). */
  closed: Promise<void>;
}

/**
 * A bare Fastify whose `/stream` is taken over; `onHeld` may write to each connection at once.
 * `held` settles with the first connection held.
 */
async function serve(
  onHeld: (connection: SseConnection) => void = () => {},
): Promise<{ app: FastifyInstance; port: number; held: Promise<Held> }> {
  const app = Fastify();
  let resolveHeld: (held: Held) => void = () => {};
  const held = new Promise<Held>((resolve) => (resolveHeld = resolve));
  app.get('/stream', (request, reply) => {
    const socket = request.raw.socket;
    const connection = NodeSseConnection.takeOver(reply);
    const closed = new Promise<void>((resolve) => connection.onClose(resolve));
    resolveHeld({ connection, socket, closed });
    onHeld(connection);
  });
  app.get('/plain', () => 'plain');
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, port: (app.server.address() as AddressInfo).port, held };
}

function get(port: number, path: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    httpRequest({ port, host: '127.0.0.1', path }, resolve).on('error', reject).end();
  });
}

function body(response: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => (text += chunk));
    response.on('end', () => resolve(text));
    response.on('error', reject);
  });
}

describe('NodeSseConnection', () => {
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('detaches the socket from the HTTP server and writes each frame as one chunk', async () => {
    const server = await serve((connection) => {
      connection.write(Buffer.from('event: a\n\n'));
      connection.write(Buffer.from('event: b\n\n'));
      setTimeout(() => connection.close(), 20);
    });
    app = server.app;
    const response = await get(server.port, '/stream');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/event-stream');
    expect(response.headers['transfer-encoding']).toBe('chunked');
    // Node's HTTP client parses the chunks: a framing error would fail the body.
    expect(await body(response)).toBe('event: a\n\nevent: b\n\n');
    // The server no longer parses this connection: its parser went back to Node's pool.
    const { socket } = await server.held;
    expect((socket as unknown as { parser: unknown }).parser).toBeNull();
  });

  it('tells the hub when the client goes away, and survives writes after that', async () => {
    const server = await serve((connection) => connection.write(Buffer.from(': hello\n\n')));
    app = server.app;
    const response = await get(server.port, '/stream');
    response.destroy();
    const { connection, closed } = await server.held;
    await closed;
    expect(connection.write(Buffer.from(': late\n\n'))).toBe(false);
    connection.close();
    // The server still answers other connections.
    expect(await body(await get(server.port, '/plain'))).toBe('plain');
  });

  it('reports a close that happened before the listener was added', async () => {
    const server = await serve();
    app = server.app;
    const response = await get(server.port, '/stream');
    const { connection, socket, closed } = await server.held;
    connection.close();
    await body(response);
    await closed;
    expect(socket.closed).toBe(true);
    // Added now, after the close: it is still called.
    await expect(
      new Promise<void>((resolve) => connection.onClose(resolve)),
    ).resolves.toBeUndefined();
  });

  it('writes frames unframed to an HTTP/1.0 client, and ends by closing', async () => {
    const server = await serve((connection) => {
      connection.write(Buffer.from('event: a\n\n'));
      connection.close();
    });
    app = server.app;
    const raw = await new Promise<string>((resolve, reject) => {
      let text = '';
      const socket = connect(server.port, '127.0.0.1', () => {
        socket.write('GET /stream HTTP/1.0\r\n\r\n');
      });
      socket.setEncoding('latin1');
      socket.on('data', (chunk: string) => (text += chunk));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(raw).not.toMatch(/transfer-encoding/i);
    expect(raw.endsWith('\r\n\r\nevent: a\n\n')).toBe(true);
  });

  it('cuts a client that stopped reading when it is closed, instead of waiting on it', async () => {
    const server = await serve();
    app = server.app;
    const client = connect(server.port, '127.0.0.1', () => {
      client.write('GET /stream HTTP/1.1\r\nhost: x\r\n\r\n');
    });
    client.pause();
    const { connection, closed } = await server.held;
    // Fill the kernel's buffers: what is left queues in the socket.
    const frame = Buffer.alloc(64 * 1024, 'a');
    for (let i = 0; i < 1000 && connection.pendingBytes === 0; i++) {
      connection.write(frame);
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(connection.pendingBytes).toBeGreaterThan(0);
    connection.close();
    await closed;
    client.destroy();
  });
});
