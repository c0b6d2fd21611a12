import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import semver from 'semver';
import { buildProxy, type ProxyProcess, spawnProxy, stopProxy } from '../support/built-proxy.js';
import { PRODUCTION_ENV_UUID } from '../support/example-config.js';
import { freePort } from '../support/ports.js';
import { docsPage, readmeBlock, readmeSection, shellCommands } from '../support/readme-blocks.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const README_PORT = 'localhost:7000';
/** Where the sections the README links to now live. */
const MODES = docsPage('modes.md');
const ADMIN_API = docsPage('admin-api.md');
const run = promisify(execFile);

/**
 * The README's walkthroughs, and those of the docs pages it links to, taken from the Markdown
 * itself and run here, so they cannot drift.
 */
describe('README.md', () => {
  const started: ProxyProcess[] = [];
  beforeAll(() => buildProxy(), 120_000);
  afterAll(async () => {
    await Promise.all(started.map((proxy) => stopProxy(proxy)));
  });

  /** The compiled relay with `env` (nothing but PORT: the zero-setup default of `npm start`). */
  async function startRelay(env: Record<string, string> = {}): Promise<string> {
    const port = await freePort();
    const proxy = spawnProxy({ ...env, PORT: String(port) });
    started.push(proxy);
    const base = `http://127.0.0.1:${port}`;
    await expect
      .poll(async () => (await fetch(`${base}/health`).catch(() => undefined))?.status, {
        timeout: 30_000,
      })
      .toBe(200);
    return base;
  }

  const onPort = (code: string, base: string) =>
    code.replaceAll(`http://${README_PORT}`, base).replaceAll(README_PORT, base);

  it('"Try it with curl": every step answers on the zero-setup default', async () => {
    const base = await startRelay();
    const { code } = readmeBlock('Try it with curl', 'sh', '/client/auth');
    // Step 4 holds the stream open until Ctrl-C: every curl is cut after a few seconds.
    const script = `curl() { command curl --max-time 3 "$@"; }\n${onPort(code, base)}`;
    const { stdout } = await run('bash', ['-c', script], { cwd: ROOT });
    expect(stdout).toContain('"feature":"dark-mode"');
    expect(stdout).toContain('"servingRules"');
    expect(stdout).toMatch(/^:$/m);
    expect(stdout).toContain('"flag":"new-search"');
    expect(stdout).toContain('"configStatus"');
    expect(stdout).not.toMatch(/"statusCode":\s*[45]/);
  }, 60_000);

  it('the Node SDK snippet prints the flag and exits', async () => {
    const base = await startRelay();
    const { code } = readmeBlock('Try it with curl', 'js', 'ff-nodejs-server-sdk');
    // Inside the project, so the SDK resolves from its node_modules.
    const dir = `${ROOT}node_modules/.cache/ff-relay-readme`;
    await mkdir(dir, { recursive: true });
    const file = `${dir}/snippet-${process.pid}.mjs`;
    await writeFile(file, onPort(code, base));
    try {
      // A snippet that never closes its client keeps the process alive: the timeout fails it.
      const { stdout } = await run(process.execPath, [file], { timeout: 30_000 });
      // docs/example-config.md: alice is in beta-testers, which dark-mode serves `true`.
      // (The SDK's own lines, e.g. `SDKCODE:…`, go to stdout too.)
      expect(stdout.split('\n').filter((line) => line === 'true' || line === 'false')).toEqual([
        'true',
      ]);
    } finally {
      await rm(file, { force: true });
    }
  }, 60_000);

  describe('docs/modes.md "Primary mode, tried locally against the bundled upstream emulator"', () => {
    const section = 'Primary mode, tried locally against the bundled upstream emulator';
    let emulator: ChildProcess;
    let printed = '';
    beforeAll(async () => {
      const [command = ''] = shellCommands(readmeBlock(section, 'sh', 'emulator', MODES).code);
      const port = await freePort();
      // Its own process group, so the npm → tsx → node chain goes with it.
      emulator = spawn('bash', ['-c', command.replace('8787', String(port))], {
        cwd: ROOT,
        detached: true,
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      emulator.stdout?.on('data', (chunk: Buffer) => (printed += chunk.toString()));
      // A plain loop: expect.poll belongs to tests, not hooks.
      const deadline = Date.now() + 60_000;
      while (!printed.includes('PROXY_KEY_IDENTIFIER=')) {
        if (Date.now() > deadline || emulator.exitCode !== null) {
          throw new Error(`the emulator printed no settings:\n${printed}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }, 90_000);
    afterAll(() => {
      if (emulator.pid !== undefined && emulator.exitCode === null) {
        process.kill(-emulator.pid, 'SIGTERM');
      }
    });

    const setting = (name: string): string =>
      new RegExp(`^\\s*${name}=(\\S+)$`, 'm').exec(printed)?.[1] ?? '';

    it('prints every setting the primary command and the proxy-key rotation need', () => {
      const start = shellCommands(readmeBlock(section, 'sh', 'npm start', MODES).code)[0] ?? '';
      const fromEmulator = [...start.matchAll(/(\w+)=<printed>/g)].map(([, name = '']) => name);
      expect(fromEmulator).toEqual(['PROXY_KEY', 'CLIENT_SERVICE', 'METRIC_SERVICE']);
      // What the Admin API's rotation needs, as docs/admin-api.md names it.
      const runbook = readmeBlock('Admin API', 'sh', '/admin/v1/proxy-key/rotate', ADMIN_API).code;
      const rotationNeeds = ['ADMIN_SERVICE_TOKEN', 'PROXY_KEY_IDENTIFIER', 'ACCOUNT_IDENTIFIER'];
      rotationNeeds.forEach((name) => expect(runbook).toContain(name));
      const names = [...fromEmulator, ...rotationNeeds, 'ADMIN_SERVICE'];
      expect(names.filter((name) => setting(name) === '')).toEqual([]);
    });

    it('runs a primary on the printed settings that follows `toggle`, and rotates its key', async () => {
      const start = shellCommands(readmeBlock(section, 'sh', 'npm start', MODES).code)[0] ?? '';
      const env: Record<string, string> = {};
      for (const [, name = '', value = ''] of start.matchAll(/(\w+)=(\S+)/g)) {
        env[name] = value === '<printed>' ? setting(name) : value;
      }
      expect(start).toMatch(/ npm start$/);
      const admin = { ADMIN_API_TOKEN: 'readme-admin-token-of-32-characters-x' };
      for (const name of ['ADMIN_SERVICE', 'ADMIN_SERVICE_TOKEN', 'ACCOUNT_IDENTIFIER']) {
        Object.assign(admin, { [name]: setting(name) });
      }
      const base = await startRelay({
        ...env,
        ...admin,
        PROXY_KEY_IDENTIFIER: setting('PROXY_KEY_IDENTIFIER'),
      });
      const sdkKey = new RegExp(`env ${PRODUCTION_ENV_UUID}\\n\\s*SDK keys: (\\S+)`).exec(printed);
      const auth = await fetch(`${base}/client/auth`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ apiKey: sdkKey?.[1] }),
      });
      const { authToken } = (await auth.json()) as { authToken: string };
      const state = async () => {
        const url = `${base}/client/env/${PRODUCTION_ENV_UUID}/feature-configs/dark-mode`;
        const flag = await fetch(url, { headers: { authorization: `Bearer ${authToken}` } });
        return ((await flag.json()) as { state?: string }).state;
      };
      expect(await state()).toBe('on');
      const toggle = /`(toggle de68 dark-mode)`/.exec(readmeSection(section, MODES))?.[1] ?? '';
      emulator.stdin?.write(`${toggle}\n`);
      await expect.poll(state, { timeout: 15_000 }).toBe('off');

      const [rotate = ''] = shellCommands(
        readmeBlock('Admin API', 'sh', '/admin/v1/proxy-key/rotate', ADMIN_API).code,
      ).filter((command) => command.includes('/proxy-key/rotate'));
      const { stdout } = await run('bash', ['-c', onPort(rotate, base)], {
        env: { ...process.env, ...admin },
      });
      expect(JSON.parse(stdout)).toMatchObject({
        key: expect.any(String),
        fingerprint: expect.any(String),
      });
      expect(await state()).toBe('off');
    }, 90_000);
  });

  it('"Requirements" names every package npm warns about on Node 20, and npm install keeps the lock', () => {
    const lock = JSON.parse(readFileSync(`${ROOT}package-lock.json`, 'utf8')) as {
      packages: Record<string, LockEntry>;
    };
    const warned = Object.entries(lock.packages).filter(
      ([path, entry]) =>
        path !== '' && entry.engines?.node && !semver.satisfies('20.19.0', entry.engines.node),
    );
    const requirements = readmeSection('Requirements');
    const name = (path: string) => path.replace(/^.*node_modules\//, '');
    const named = (pkg: string, version = '') =>
      [`\`${pkg}\``, `\`${pkg}@${semver.major(version)}\``, prefixOf(pkg)].some((text) =>
        requirements.includes(text),
      );
    const unnamed = warned
      .filter(([path, entry]) => !named(name(path), entry.version))
      .map(([path]) => name(path));
    expect(unnamed).toEqual([]);
    expect(requirements).toContain(`for ${warned.length} packages`);
    const runtime = warned.filter(([, entry]) => !entry.dev).map(([path]) => name(path));
    expect(runtime.length).toBe(4);
    runtime.forEach((pkg) => expect(requirements).toContain(`\`${pkg}\``));

    // What `npm install` rewrites when it differs: the root's engines, and whether a package
    // has an install script (one with a binding.gyp and no install script gets `node-gyp
    // rebuild`).
    const manifest = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as LockEntry;
    expect(lock.packages['']?.engines).toEqual(manifest.engines);
    const wrong = Object.entries(lock.packages)
      .filter(([path]) => path !== '' && existsSync(`${ROOT}${path}/package.json`))
      .filter(
        ([path, entry]) => hasInstallScript(`${ROOT}${path}`) !== (entry.hasInstallScript ?? false),
      )
      .map(([path]) => path);
    expect(wrong).toEqual([]);
  });
});

interface LockEntry {
  version?: string;
  dev?: boolean;
  engines?: { node?: string };
  hasInstallScript?: boolean;
}

/** `@kubernetes-models/base` is named in the README as part of "`@kubernetes-models/*`". */
function prefixOf(pkg: string): string {
  return pkg.startsWith('@') ? `\`${pkg.split('/')[0]}/*\`` : `\`${pkg}\``;
}

/** npm's rule for `hasInstallScript`. */
function hasInstallScript(dir: string): boolean {
  const { scripts = {} } = JSON.parse(readFileSync(`${dir}/package.json`, 'utf8')) as {
    scripts?: Record<string, string>;
  };
  if (scripts.preinstall || scripts.install || scripts.postinstall) {
    return true;
  }
  return existsSync(`${dir}/binding.gyp`);
}
