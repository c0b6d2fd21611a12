import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AppConfig } from '../../src/config/app-config.js';
import type { EnvInput } from '../../src/config/env-vars.js';
import { loadConfig } from '../../src/config/load-config.js';
import { createApp, type CreateAppOptions } from '../../src/create-app.js';
import { EXAMPLE_CONFIG_DIR } from './example-config.js';
import { flushTestDb, testRedisAddress } from './redis.js';

export const TEST_AUTH_SECRET = 'test-auth-secret';

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  /** Base URL when started with `listen: true` (needed for SSE), else undefined. */
  url: string | undefined;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Serve on a real port (SSE, SDK tests); otherwise drive it with `app.inject()`. */
  listen?: boolean;
  /** Use the in-memory cache instead of the worker's Redis DB. */
  inMemory?: boolean;
  /** Keep what the worker's Redis DB holds (a warm cache from an earlier app). */
  keepRedis?: boolean;
  /** Modules and providers composed beside ff-relay, as a team extending it would. */
  compose?: CreateAppOptions;
}

/**
 * Boots the proxy through `createApp`, exactly as main.ts does. Defaults: offline mode
 * on the example config, the worker's own Redis DB (flushed first), quiet logs.
 */
export async function createTestApp(env: EnvInput = {}, options: TestAppOptions = {}) {
  if (!options.inMemory && !options.keepRedis) {
    await flushTestDb();
  }
  const config = loadConfig({
    OFFLINE: 'true',
    CONFIG_DIR: EXAMPLE_CONFIG_DIR,
    AUTH_SECRET: TEST_AUTH_SECRET,
    LOG_LEVEL: 'ERROR',
    ...(options.inMemory ? {} : { REDIS_ADDRESS: testRedisAddress() }),
    ...env,
  });
  const app = await createApp(config, options.compose);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  let url: string | undefined;
  if (options.listen) {
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
    url = url.replace('[::1]', '127.0.0.1');
  }
  return { app, config, url, close: () => app.close() } satisfies TestApp;
}
