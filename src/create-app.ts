import {
  type DynamicModule,
  type ForwardReference,
  Module,
  type Provider,
  type Type,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module.js';
import type { AppConfig } from './config/app-config.js';
import { FrameworkLogger } from './logging/framework-logger.js';
import { APP_OPTIONS, configureHttp, createHttpAdapter } from './http-server.js';

export interface CreateAppOptions {
  /**
   * Modules composed beside ff-relay. Their `APP_INTERCEPTOR`, `APP_GUARD`, `APP_PIPE` and
   * `APP_FILTER` providers apply to every route, the SDK API included.
   */
  imports?: (Type | DynamicModule | Promise<DynamicModule> | ForwardReference)[];
  /** Providers of the composing root module (e.g. `{ provide: APP_INTERCEPTOR, useClass: … }`). */
  providers?: Provider[];
}

/** The root that holds ff-relay and whatever a team composes beside it. */
@Module({})
class FfRelayRootModule {}

/**
 * The proxy as a Nest application on Fastify, created but not yet listening: exactly what
 * `main.ts` runs, for a team that adds its own interceptors and guards. Call `app.listen()` (or
 * `listen()` below) to start it; `app.close()` shuts it down in order.
 */
export async function createApp(
  config: AppConfig,
  options: CreateAppOptions = {},
): Promise<NestFastifyApplication> {
  const root: DynamicModule = {
    module: FfRelayRootModule,
    imports: [AppModule.register(config), ...(options.imports ?? [])],
    providers: options.providers ?? [],
  };
  const app = await NestFactory.create<NestFastifyApplication>(root, createHttpAdapter(config), {
    ...APP_OPTIONS,
    // A module that cannot be created is an error for the caller, not a process.abort().
    abortOnError: false,
  });
  app.useLogger(new FrameworkLogger(app.get(Logger)));
  logSettings(app.get(Logger), config);
  // Boot may wait (for Redis, for the first sync): say so now, not once it is over.
  app.flushLogs();
  configureHttp(app);
  return app;
}

/**
 * The effective configuration, one line as the Harness proxy's `service config` (operators diff
 * the two), then one warning naming every given setting that changes nothing here.
 */
function logSettings(logger: Logger, config: AppConfig): void {
  logger.log({ config: config.startup.settings }, 'service config', 'FfRelay');
  if (Object.keys(config.startup.noEffect).length > 0) {
    logger.warn({ settings: config.startup.noEffect }, 'settings with no effect here', 'FfRelay');
  }
}

/** Listens on the configured port on every interface and says so. */
export async function listen(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  await app.listen(config.server.port, '0.0.0.0');
  // nestjs-pino's Logger takes a trailing string as the context, so name one.
  app
    .get(Logger)
    .log({ port: config.server.port, mode: config.mode }, 'ff-relay listening', 'FfRelay');
}
