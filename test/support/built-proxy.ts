import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { threadId } from 'node:worker_threads';
import { EXAMPLE_CONFIG_DIR } from './example-config.js';
import { freePort } from './ports.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Inside node_modules so the compiled files resolve the project's dependencies. */
export const BUILD_ROOT = fileURLToPath(
  new URL('../../node_modules/.cache/ff-relay-e2e-build', import.meta.url),
);
/**
 * One output per test process: test files run in parallel, and a file compiling into a shared
 * directory rewrote the modules that another file's relay was loading (a `does not provide an
 * export` crash at boot, now and then). The global setup sets the root per test run and removes
 * it at the end.
 */
const OUT_DIR = `${process.env.FF_RELAY_E2E_BUILD_ROOT ?? BUILD_ROOT}/${process.pid}-${threadId}`;

let built: Promise<void> | undefined;

/**
 * Compiles `src/` once per test file (into this process's own directory), for tests that need the real `main.ts` in a process of its
 * own (exit codes, signals, what reaches stderr).
 */
export function buildProxy(): Promise<void> {
  built ??= promisify(execFile)(
    process.execPath,
    [
      fileURLToPath(import.meta.resolve('typescript/bin/tsc')),
      '-p',
      'tsconfig.build.json',
      '--outDir',
      OUT_DIR,
      // Next to the output, so outputs and the record of them go together: by default it lands
      // beside OUT_DIR and, when it outlives OUT_DIR (a node_modules copied without it), tsc
      // takes the missing output for up to date and emits nothing.
      '--tsBuildInfoFile',
      `${OUT_DIR}/tsconfig.build.tsbuildinfo`,
    ],
    { cwd: ROOT },
  ).then(() => undefined);
  return built;
}

export interface ProxyProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<number | null>;
}

/**
 * Runs the compiled `main.js` with exactly `env` (plus PATH), capturing its output; with the
 * Node binary that runs the tests unless `node` names another.
 */
export function spawnProxy(env: Record<string, string>, node = process.execPath): ProxyProcess {
  const child = spawn(node, [`${OUT_DIR}/main.js`], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  // `close`, not `exit`: it comes once stdout and stderr are drained, so a test that waited for
  // it reads every line the process wrote.
  const exited = new Promise<number | null>((resolve) =>
    child.once('close', (code) => resolve(code)),
  );
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** SIGTERM, then the process's end, with its output drained: what it logged is all there. */
export async function stopProxy(proxy: ProxyProcess): Promise<number | null> {
  proxy.child.kill('SIGTERM');
  return proxy.exited;
}

/**
 * The compiled relay serving the example config offline on a free port, once `/health` answers
 * 200. `env` adds to or overrides the defaults.
 */
export async function startOfflineProxy(
  env: Record<string, string> = {},
  node?: string,
): Promise<{ proxy: ProxyProcess; base: string }> {
  const port = await freePort();
  const proxy = spawnProxy(
    {
      OFFLINE: 'true',
      CONFIG_DIR: EXAMPLE_CONFIG_DIR,
      AUTH_SECRET: 'built-proxy-secret',
      PORT: String(port),
      ...env,
    },
    node,
  );
  const base = `http://127.0.0.1:${port}`;
  // A plain loop rather than expect.poll, so beforeAll hooks can start one too.
  const deadline = Date.now() + 20_000;
  while ((await fetch(`${base}/health`).catch(() => undefined))?.status !== 200) {
    if (Date.now() > deadline || proxy.child.exitCode !== null) {
      proxy.child.kill('SIGKILL');
      throw new Error(`the relay did not become healthy:\n${proxy.stdout()}${proxy.stderr()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { proxy, base };
}
