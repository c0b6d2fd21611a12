/**
 * The ceiling: a bare Fastify route returning exactly the bytes the relay's feature-configs
 * answer holds, with no auth, no hooks and no logging. What Node does on this machine at best.
 *   node --import tsx bench/servers/ceiling.ts <body file>
 */
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';
import { exitWithParent, failStartup, reportReady } from '../lib/child-side.js';

async function main(): Promise<void> {
  const [bodyFile] = process.argv.slice(2);
  if (!bodyFile) {
    throw new Error('usage: ceiling.ts <body file>');
  }
  const body = readFileSync(bodyFile);
  const app = Fastify({ logger: false });
  app.get('/client/env/:env/feature-configs', (_request, reply) => {
    void reply.header('content-type', 'application/json; charset=utf-8').send(body);
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  reportReady(typeof address === 'object' && address ? address.port : 0);
}

exitWithParent();
main().catch(failStartup);
