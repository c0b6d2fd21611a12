import { resolve } from 'node:path';
import { type DestinationStream, pino } from 'pino';
import { LOG_LINE_OPTIONS } from './logging/logger-options.js';
import type { AppConfig } from './config/app-config.js';
import { writeOfflineConfig } from './sync/offline/offline-config.writer.js';
import { ProxyKey } from './upstream/proxy-key.js';
import { UpstreamClient } from './upstream/upstream.client.js';

/**
 * GENERATE_OFFLINE_CONFIG=true: fetch every environment of the proxy key and write the offline
 * config directory, then stop. No Redis, no HTTP server. Resolves to the process exit code.
 */
export async function generateOfflineConfig(
  config: AppConfig,
  /** Where the log lines go: stdout unless a test reads them. */
  destination?: DestinationStream,
): Promise<number> {
  // A one-shot command outside Nest: plain pino, JSON like the server's logs.
  // `context` names the component, as on every line the server writes.
  const options = { level: config.log.level, ...LOG_LINE_OPTIONS };
  const logger = (destination ? pino(options, destination) : pino(options)).child({
    context: 'GenerateOfflineConfig',
  });
  logger.info({ config: config.startup.settings }, 'service config');
  const upstream = new UpstreamClient(config, new ProxyKey(config));
  const dir = resolve(config.offline.configDir);
  try {
    await upstream.authenticate();
    const environments = await upstream.fetchConfig();
    for (const env of environments.filter((e) => e.apiKeys.length === 0)) {
      // Written anyway: harmless, and tokens minted elsewhere may still need the flags.
      logger.warn({ env: env.id }, 'environment has no SDK keys');
    }
    await writeOfflineConfig(dir, environments);
    logger.info({ dir, environments: environments.length }, 'offline config written');
    return 0;
  } catch (err) {
    logger.error({ err, dir }, 'could not generate the offline config');
    return 1;
  } finally {
    await upstream.onApplicationShutdown();
  }
}
