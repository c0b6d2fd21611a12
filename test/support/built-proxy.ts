import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
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
 * The relay is compiled once per test run, by whichever test file asks first (a directory made
 * with `mkdir` is the lock), while the others wait for it: test files run in parallel, and files
 * compiling into one shared directory rewrote the modules another file's relay was loading (a
 * `does not provide an export` crash at boot, now and then). The global setup names the run's
 * directory and removes it at the end; without it (a script outside Vitest) each process
 * compiles its own.
 */
const RUN_ROOT = process.env.FF_RELAY_E2E_BUILD_ROOT;
const OUT_DIR = RUN_ROOT ? `${RUN_ROOT}/relay` : `${BUILD_ROOT}/${process.pid}-${threadId}`;
const BUILD_WAIT_MS = 10 * 60_000;

let built: Promise<void> | undefined;

/** Compiles `src/` for tests that need the real `main.ts` in a process of its own. */
export function buildProxy(): Promise<void> {
  built ??= RUN_ROOT ? buildOncePerRun(RUN_ROOT) : compile();
  return built;
}

async function buildOncePerRun(root: string): Promise<void> {
  await mkdir(root, { recursive: true });
  try {
    await mkdir(`${root}/lock`);
  } catch {
    return waitForBuild(root);
  }
  try {
    await compile();
    await writeFile(`${root}/done`, '');
  } catch (err) {
    await writeFile(`${root}/failed`, String(err));
    throw err;
  }
}

async function waitForBuild(root: string): Promise<void> {
  const deadline = Date.now() + BUILD_WAIT_MS;
  while (Date.now() < deadline) {
    if (existsSync(`${root}/done`)) {
      return;
    }
    if (existsSync(`${root}/failed`)) {
      throw new Error(`compiling the relay failed: ${readFileSync(`${root}/failed`, 'utf8')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('the relay was not compiled within 10 minutes');
}

function compile(): Promise<void> {
  return promisify(execFile)(
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
