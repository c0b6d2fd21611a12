import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { Logger } from 'nestjs-pino';
import { AppModule } from '../../src/app.module.js';
import type { AppConfig } from '../../src/config/app-config.js';
import type { EnvInput } from '../../src/config/env-vars.js';
import { loadConfig } from '../../src/config/load-config.js';
import { APP_OPTIONS, configureHttp, createHttpAdapter } from '../../src/http-server.js';
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
}

/**
 * Boots the real AppModule on Fastify with the same pipeline as main.ts. Defaults: offline mode
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
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.register(config)],
  }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(
    createHttpAdapter(config),
    APP_OPTIONS,
  );
  app.useLogger(app.get(Logger));
  configureHttp(app);
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
