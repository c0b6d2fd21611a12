import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module.js';
import { StartupError } from './common/errors/startup-error.js';
import { loadConfig } from './config/load-config.js';
import { generateOfflineConfig } from './generate-offline-config.js';
import { APP_OPTIONS, configureHttp, createHttpAdapter } from './http-server.js';
import { exitOnSignals } from './shutdown.js';

async function bootstrap(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    // One line naming every bad variable (never a value), then exit like Harness does.
    console.error((err as Error).message);
    process.exit(1);
  }
  if (config.mode === 'generate-offline-config') {
    process.exit(await generateOfflineConfig(config));
  }
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.register(config),
    createHttpAdapter(config),
    APP_OPTIONS,
  );
  app.useLogger(app.get(Logger));
  // Boot may wait (for Redis, for the first sync): say so now, not once it is over.
  app.flushLogs();
  exitOnSignals(app, app.get(Logger), config.server.shutdownTimeoutMs);
  configureHttp(app);
  await app.listen(config.server.port, '0.0.0.0');
  app.get(Logger).log({ port: config.server.port, mode: config.mode }, 'ff-relay listening');
}

try {
  await bootstrap();
} catch (err) {
  // An expected reason not to start (Redis never answered, unreadable CONFIG_DIR) is one line
  // for the operator; anything else is a bug and keeps its stack.
  console.error(err instanceof StartupError ? `ff-relay cannot start: ${err.message}` : err);
  process.exit(1);
}
