/**
 * Holds many SDK streams (`GET /stream`) on raw sockets, with just enough parsing to notice the
 * first `data:` line after being armed: EventSource objects would cost more than the server.
 * IPC:
 *   { cmd: 'connect', port, token, apiKey, count, concurrency } -> number of streams held
 *   { cmd: 'arm' } -> null; from now on the first event on each stream is timed
 *   { cmd: 'collect', timeoutMs } -> { received: number[] (wall ms), missing, closed }
 */
import { connect, type Socket } from 'node:net';
import { exitWithParent, reportReady, serve } from '../lib/child-side.js';

interface Stream {
  socket: Socket;
  headerDone: boolean;
  buffer: string;
  receivedAt?: number;
  closed: boolean;
}

const streams: Stream[] = [];
let armed = false;
const now = (): number => performance.timeOrigin + performance.now();

function open(port: number, request: string): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const stream: Stream = {
      socket: connect({ host: '127.0.0.1', port }),
      headerDone: false,
      buffer: '',
      closed: false,
    };
    const { socket } = stream;
    socket.setNoDelay(true);
    socket.setEncoding('latin1');
    socket.once('connect', () => socket.write(request));
    socket.on('data', (chunk: string) => {
      if (!stream.headerDone) {
        stream.buffer += chunk;
        const end = stream.buffer.indexOf('\r\n\r\n');
        if (end < 0) {
          return;
        }
        if (!stream.buffer.startsWith('HTTP/1.1 200')) {
          socket.destroy();
          reject(new Error(stream.buffer.slice(0, 200)));
          return;
        }
        stream.headerDone = true;
        chunk = stream.buffer.slice(end + 4);
        stream.buffer = '';
        resolve(stream);
      }
      if (armed && stream.receivedAt === undefined) {
        // Keep a short tail: `data:` may be split across two reads.
        const text = stream.buffer + chunk;
        if (text.includes('data:')) {
          stream.receivedAt = now();
        }
        stream.buffer = text.slice(-8);
      }
    });
    socket.on('error', (error) => {
      stream.closed = true;
      reject(error);
    });
    socket.on('close', () => (stream.closed = true));
  });
}

async function connectAll(request: Record<string, unknown>): Promise<number> {
  const port = Number(request.port);
  const count = Number(request.count);
  const concurrency = Number(request.concurrency ?? 100);
  const http =
    `GET /stream HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n` +
    `Authorization: Bearer ${String(request.token)}\r\nAPI-Key: ${String(request.apiKey)}\r\n` +
    'Accept: text/event-stream\r\nCache-Control: no-cache\r\n\r\n';
  let next = 0;
  let failures = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      next += 1;
      for (let attempt = 0; ; attempt++) {
        try {
          streams.push(await open(port, http));
          break;
        } catch (error) {
          if (attempt >= 5) {
            failures += 1;
            if (failures === 1) {
              console.error(`stream failed: ${String(error)}`);
            }
            break;
          }
          await new Promise((resolve) => setTimeout(resolve, 100 * (attempt + 1)));
        }
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return streams.filter((s) => !s.closed).length;
}

async function collect(
  timeoutMs: number,
): Promise<{ received: number[]; missing: number; closed: number }> {
  const deadline = Date.now() + timeoutMs;
  const pending = (): number =>
    streams.filter((s) => s.receivedAt === undefined && !s.closed).length;
  while (pending() > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const received = streams.flatMap((s) => (s.receivedAt === undefined ? [] : [s.receivedAt]));
  return {
    received,
    missing: streams.length - received.length,
    closed: streams.filter((s) => s.closed).length,
  };
}

exitWithParent();
serve((request) => {
  switch (request.cmd) {
    case 'connect':
      return connectAll(request);
    case 'arm':
      armed = true;
      return null;
    case 'collect':
      return collect(Number(request.timeoutMs ?? 30_000));
    case 'close':
      streams.forEach((s) => s.socket.destroy());
      return null;
    default:
      throw new Error(`unknown command ${String(request.cmd)}`);
  }
});
reportReady();
