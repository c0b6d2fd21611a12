/**
 * The ceiling: a bare Fastify route returning exactly the bytes the relay's feature-configs
 * answer holds, with no auth, no hooks and no logging. What Node does on this machine at best.
 *   node --import tsx bench/servers/ceiling.ts <env id>=<body file>[,<gzip file>] …
 * With a gzip file, a request whose Accept-Encoding names gzip gets those pre-compressed bytes
 * (the relay's own gzip answer), as the relay does.
 */
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';
import { exitWithParent, failStartup, reportReady } from '../lib/child-side.js';

interface Bodies {
  identity: Buffer;
  gzip?: Buffer;
}

function bodiesOf(args: string[]): Map<string, Bodies> {
  const bodies = new Map<string, Bodies>();
  for (const arg of args) {
    const [env, files = ''] = arg.split('=');
    const [identity, gzip] = files.split(',');
    if (!env || !identity) {
      throw new Error('usage: ceiling.ts <env id>=<body file>[,<gzip file>] …');
    }
    bodies.set(env, {
      identity: readFileSync(identity),
      ...(gzip ? { gzip: readFileSync(gzip) } : {}),
    });
  }
  return bodies;
}

async function main(): Promise<void> {
  const bodies = bodiesOf(process.argv.slice(2));
  const app = Fastify({ logger: false });
  app.get<{ Params: { env: string } }>('/client/env/:env/feature-configs', (request, reply) => {
    const body = bodies.get(request.params.env);
    if (!body) {
      void reply.code(404).send();
      return;
    }
    void reply.header('content-type', 'application/json; charset=utf-8');
    if (body.gzip && request.headers['accept-encoding']?.includes('gzip')) {
      void reply.header('content-encoding', 'gzip').header('vary', 'Accept-Encoding');
      void reply.send(body.gzip);
      return;
    }
    void reply.send(body.identity);
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  reportReady(typeof address === 'object' && address ? address.port : 0);
}

exitWithParent();
main().catch(failStartup);
