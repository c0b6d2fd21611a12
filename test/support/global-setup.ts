import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import type { TestProject } from 'vitest/node';
import { BUILD_ROOT } from './built-proxy.js';
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
/** Where this run's test processes compile the relay (one directory each), removed at the end. */
const RUN_BUILD_ROOT = `${BUILD_ROOT}/run-${process.pid}`;

export async function setup(project: TestProject): Promise<void> {
  // Test processes are forked after this, so they inherit it.
  process.env.FF_RELAY_E2E_BUILD_ROOT = RUN_BUILD_ROOT;
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
  rmSync(RUN_BUILD_ROOT, { recursive: true, force: true });
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
