import type { ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';
import { Logger } from '@nestjs/common';

/** What this module reads of Node's HTTP server internals; each is checked before use. */
interface HttpParser {
  finish(): unknown;
}
interface ServedSocket extends Socket {
  parser?: HttpParser | null;
}
/** The socket's property holding the response it is writing (long-standing, undocumented). */
const CURRENT_RESPONSE = '_httpMessage';
type FreeParser = (parser: HttpParser, request: null, socket: Socket) => void;

/**
 * The listeners Node's HTTP server puts on each connection (`connectionListenerInternal` in
 * `_http_server.js`, the same from Node 18 to 24), by event, as their functions are named.
 */
const SERVER_LISTENERS: ReadonlyMap<string, string> = new Map([
  ['data', 'bound socketOnData'],
  ['end', 'bound socketOnEnd'],
  ['close', 'bound socketOnClose'],
  ['drain', 'bound socketOnDrain'],
  ['error', 'socketOnError'],
  ['timeout', 'socketOnTimeout'],
  ['resume', 'onSocketResume'],
  ['pause', 'onSocketPause'],
]);

const freeParser = loadFreeParser();

/** Whether the socket is writing this response (not one pipelined before it). */
function isCurrentResponse(socket: Socket, response: ServerResponse): boolean {
  return (socket as unknown as Record<string, unknown>)[CURRENT_RESPONSE] === response;
}

/**
 * Makes a connection whose response head is sent a plain socket, as Node does for an `Upgrade`
 * request: the HTTP server's listeners come off, its parser goes back to Node's pool (and out of
 * the server's connection list, so its request timeouts stop), and the response lets the socket
 * go. The request, the response and Fastify's objects for them are then garbage. From then on
 * the caller owns the socket: it keeps reading it (a client's close is seen as its end) and
 * handles its errors.
 *
 * These are Node internals: when any of them is not as expected nothing is changed, and the
 * connection stays the server's (it costs ~4 KB more, nothing else). Returns whether it was
 * detached; if not, the response is still Node's to write.
 */
export function detachFromHttpServer(socket: Socket, response: ServerResponse): boolean {
  if (!isCurrentResponse(socket, response)) {
    return false;
  }
  const parser = (socket as ServedSocket).parser;
  const listeners = [...SERVER_LISTENERS].map(
    ([event, name]) =>
      [event, socket.listeners(event).find((listener) => listener.name === name)] as const,
  );
  if (freeParser === undefined || !parser || listeners.some(([, l]) => l === undefined)) {
    warnOnce();
    return false;
  }
  response.detachSocket(socket);
  for (const [event, listener] of listeners) {
    socket.removeListener(event, listener as (...args: unknown[]) => void);
  }
  // A reset or a write to a closed peer: the client is gone; the socket is destroyed by then.
  socket.on('error', ignoreClientError);
  // The server made connections half-open: a client's end is its close.
  socket.on('end', () => socket.destroy());
  // This may run inside the parser's callbacks for this request (a handler with nothing to
  // await): freed now, the parser would put itself back in the server's connection list as its
  // stack unwinds. Node waits the same way before it closes a parser.
  setImmediate(() => {
    parser.finish();
    freeParser(parser, null, socket);
    // The parser read the socket; now the socket reads itself, so a client's end is seen.
    socket.resume();
  });
  return true;
}

function ignoreClientError(): void {}

let warned = false;
function warnOnce(): void {
  if (!warned) {
    warned = true;
    new Logger('SdkStreams').warn(
      `Node ${process.version}'s HTTP server is not as expected: SDK streams stay on it (~4 KB more each)`,
    );
  }
}

function loadFreeParser(): FreeParser | undefined {
  try {
    const common = createRequire(import.meta.url)('_http_common') as { freeParser?: unknown };
    return typeof common.freeParser === 'function' ? (common.freeParser as FreeParser) : undefined;
  } catch {
    return undefined;
  }
}
