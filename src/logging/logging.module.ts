import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from '../config/app-config.js';
import { AccessLog } from './access-log.js';
import { loggerOptions } from './logger-options.js';

/** The pino logger behind Nest's Logger, and the access log. */
@Module({
  imports: [LoggerModule.forRootAsync({ inject: [AppConfig], useFactory: loggerOptions })],
  providers: [AccessLog],
})
export class LoggingModule {}
