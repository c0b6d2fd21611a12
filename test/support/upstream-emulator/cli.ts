/**
 * Runs the upstream emulator by hand so primary mode can be tried without Harness SaaS:
 *   npx tsx test/support/upstream-emulator/cli.ts [--port 8787] [--config-dir config]
 *     [--keys sdk-keys.json] [--proxy-key KEY] [--heartbeat-ms 10000] [--page-size N]
 * `--keys` maps environment ids to raw SDK keys ({"<envId>": ["key", ...]}); environments
 * without one get a demo key derived from their id, so it is the same on every run.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { describeEnvironments, HELP, runCommand } from './cli-commands.js';
import { loadConfigDir } from './config-dir.js';
import type { EnvironmentSeed } from './environment-store.js';
import { booleanFlag } from './fixtures.js';
import { isRecord, isStringArray } from './json-guards.js';
import { sha256Hex } from './key-material.js';
import { UpstreamEmulator } from './upstream-emulator.js';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DEMO_PROXY_KEY = '5e0f0c7a-7f3e-4c1b-9a53-0d1e2f3a4b5c';
const DEMO_ENV = '8b597a12-8eae-476d-ba41-0d9785b95e5a';

/** A UUID-shaped key derived from the environment id: stable across restarts. */
const demoSdkKey = (env: string): string =>
  sha256Hex(`demo-sdk-key:${env}`)
    .slice(0, 32)
    .replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');

const keysOf = (raw: unknown, env: string): string[] =>
  isStringArray(raw) ? raw : [demoSdkKey(env)];

async function loadSeeds(configDir: string, keysFile?: string): Promise<EnvironmentSeed[]> {
  const rawKeys: unknown = keysFile ? JSON.parse(await readFile(keysFile, 'utf8')) : {};
  if (!isRecord(rawKeys) || !Object.values(rawKeys).every(isStringArray)) {
    throw new Error(`${keysFile ?? ''}: expected {"<envId>": ["<raw SDK key>", ...]}`);
  }
  const seeds = await loadConfigDir(configDir).catch((error: unknown) => {
    if (!(error instanceof Error && 'code' in error && error.code === 'ENOENT')) {
      throw error;
    }
    console.log(`no config directory at ${configDir}: using one demo environment`);
    return [{ id: DEMO_ENV, featureConfigs: [booleanFlag('demo-flag')] }];
  });
  return seeds.map((seed) => ({ ...seed, apiKeys: keysOf(rawKeys[seed.id], seed.id) }));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8787' },
      'config-dir': { type: 'string', default: resolve(REPO_ROOT, 'config') },
      keys: { type: 'string' },
      'proxy-key': { type: 'string', default: DEMO_PROXY_KEY },
      'heartbeat-ms': { type: 'string' },
      'page-size': { type: 'string' },
    },
  });
  const emulator = new UpstreamEmulator({
    seed: { environments: await loadSeeds(resolve(values['config-dir']), values.keys) },
    proxyKey: values['proxy-key'],
    heartbeatMs: values['heartbeat-ms'] === undefined ? undefined : Number(values['heartbeat-ms']),
    pageSize: values['page-size'] === undefined ? undefined : Number(values['page-size']),
  });
  await emulator.start(Number(values.port));
  // As `NAME=value` lines: what a primary needs, then what the proxy-key rotation of the
  // Admin API needs (docs/admin-api.md), ready to paste into its environment.
  console.log(`upstream emulator listening
  CLIENT_SERVICE=${emulator.url}
  METRIC_SERVICE=${emulator.metricsUrl}
  PROXY_KEY=${emulator.proxyKey}
  ADMIN_SERVICE=${emulator.adminUrl}
  ADMIN_SERVICE_TOKEN=${emulator.adminApiKey}
  ACCOUNT_IDENTIFIER=${emulator.account}
  PROXY_KEY_IDENTIFIER=${emulator.proxyKeyIdentifier}
${describeEnvironments(emulator)}
${HELP}`);

  const shutdown = async (): Promise<void> => {
    await emulator.stop();
    process.exit(0);
  };
  const input = createInterface({ input: process.stdin, prompt: '> ' });
  // Commands run one at a time, in the order typed, even when pasted in bulk.
  let queue = Promise.resolve();
  input.on('line', (line) => {
    queue = queue.then(async () => {
      if (line.trim() === 'quit') {
        await shutdown();
      }
      const output = await runCommand(emulator, line).catch(
        (error: unknown) => `error: ${error instanceof Error ? error.message : String(error)}`,
      );
      if (output) {
        console.log(output);
      }
      input.prompt();
    });
  });
  // The end of stdin (running in the background, `< /dev/null`) is not a request to stop:
  // only `quit`, Ctrl-C or SIGTERM end the emulator.
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
  input.prompt();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
