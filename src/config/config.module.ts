// Owns the one validated AppConfig. main.ts loads it before Nest starts (the Fastify adapter
// needs it too) and tests pass their own, so the module takes the finished object.
import { type DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from './app-config.js';

@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      global: true,
      providers: [{ provide: AppConfig, useValue: config }],
      exports: [AppConfig],
    };
  }
}
