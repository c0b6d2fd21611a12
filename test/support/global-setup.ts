import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';
import type { TestProject } from 'vitest/node';
import { freePort, waitForPort } from './ports.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Port of the redis-server every e2e test uses (DB chosen per worker). */
    redisPort: number;
  }
}

let privateServer: ChildProcess | undefined;

/**
 * E2E tests need a real Redis. Dev and CI machines run one on 6379; when none answers, start a
 * private redis-server on a free port so the suite still runs on a fresh machine.
 */
export async function setup(project: TestProject): Promise<void> {
  if (await answers(6379)) {
    project.provide('redisPort', 6379);
    return;
  }
  const port = await freePort();
  privateServer = spawn(
    'redis-server',
    ['--port', String(port), '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  await waitForPort(port, 10_000);
  project.provide('redisPort', port);
}

export function teardown(): void {
  privateServer?.kill();
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => {
      socket.end();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}
