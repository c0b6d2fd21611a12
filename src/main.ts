import 'reflect-metadata';
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { StartupError } from './common/errors/startup-error.js';
import { loadConfig } from './config/load-config.js';

/** The `ff-relay` process: config from the environment, then serve until SIGTERM. */
export async function main(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let config;
  try {
    config = loadConfig(env);
  } catch (err) {
    // One line naming every bad variable (never a value), then exit like Harness does.
    console.error((err as Error).message);
    process.exit(1);
  }
  // Loaded once the configuration is valid: a refused one exits without loading the app.
  if (config.mode === 'generate-offline-config') {
    const { generateOfflineConfig } = await import('./generate-offline-config.js');
    process.exit(await generateOfflineConfig(config));
  }
  try {
    const [{ createApp, listen }, { exitOnSignals }, { Logger }] = await Promise.all([
      import('./create-app.js'),
      import('./shutdown.js'),
      import('nestjs-pino'),
    ]);
    const app = await createApp(config);
    exitOnSignals(app, app.get(Logger), config.server.shutdownTimeoutMs);
    await listen(app, config);
  } catch (err) {
    // An expected reason not to start (Redis never answered, unreadable CONFIG_DIR) is one line
    // for the operator; anything else is a bug and keeps its stack.
    console.error(err instanceof StartupError ? `ff-relay cannot start: ${err.message}` : err);
    process.exit(1);
  }
}

/** True when this file is the program Node was started with, not a module someone imported. */
function startedAsProgram(): boolean {
  const script = process.argv[1];
  try {
    return script !== undefined && import.meta.url === pathToFileURL(realpathSync(script)).href;
  } catch {
    return false;
  }
}

// `node dist/main.js` serves; importing this file (or `index.ts`) starts nothing.
if (startedAsProgram()) {
  await main();
}
