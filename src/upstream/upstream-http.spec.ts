import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { UpstreamError } from './upstream-error.js';
import { readAnswer, send } from './upstream-http.js';

/** A real server that answers a JSON head, half a body, then drops the connection. */
function cutMidBody(): Promise<Server> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
    response.write('{"environments":[');
    setTimeout(() => response.socket?.destroy(), 20);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('send', () => {
  const dispatcher = new Agent();
  afterAll(() => dispatcher.close());

  it('reports a connection cut while the body arrives as an upstream network failure', async () => {
    const server = await cutMidBody();
    const { port } = server.address() as AddressInfo;
    try {
      const answer = await send('/proxy/config', `http://127.0.0.1:${port}/`, {
        method: 'GET',
        dispatcher,
        headers: {},
      });
      const error: unknown = await readAnswer('/proxy/config', answer, true).catch((e) => e);
      expect(error).toBeInstanceOf(UpstreamError);
      expect(error).toMatchObject({ path: '/proxy/config', status: 0 });
    } finally {
      server.close();
    }
  });

  it('reports a refused connection the same way', async () => {
    const server = await cutMidBody();
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const error: unknown = await send('/proxy/auth', `http://127.0.0.1:${port}/`, {
      method: 'POST',
      dispatcher,
      headers: {},
    }).catch((e) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({
      status: 0,
      message: expect.stringContaining('ECONNREFUSED') as string,
    });
  });
});
