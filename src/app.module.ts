import { type DynamicModule, Module, ValidationPipe } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { AdminModule } from './admin/admin.module.js';
import { AuthModule } from './auth/auth.module.js';
import { CacheModule } from './cache/cache.module.js';
import { ClientApiModule } from './client-api/client-api.module.js';
import { AllExceptionsFilter } from './common/filters/all-exceptions.filter.js';
import { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { HealthModule } from './health/health.module.js';
import { LoggingModule } from './logging/logging.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { OfrepModule } from './ofrep/ofrep.module.js';
import { ProfilingModule } from './profiling/profiling.module.js';
import { ScrapeModule } from './metrics/scrape.module.js';
import { SdkMetricsModule } from './sdk-metrics/sdk-metrics.module.js';
import { StatusModule } from './status/status.module.js';
import { StreamModule } from './stream/stream.module.js';
import { SyncModule } from './sync/sync.module.js';

/**
 * The whole proxy. It takes its finished config so main.ts and every test boot exactly the same
 * pipeline; enterprises can import it and add their own guards and interceptors around it.
 */
@Module({})
export class AppModule {
  static register(config: AppConfig): DynamicModule {
    // One object for both importers, so Nest makes one module of it (one intake, one sink).
    const sdkMetrics = SdkMetricsModule.register(config);
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule,
        ScheduleModule.forRoot(),
        StatusModule,
        CacheModule,
        AuthModule.register(config),
        ClientApiModule,
        StreamModule,
        sdkMetrics,
        OfrepModule.register(sdkMetrics),
        SyncModule.register(config),
        HealthModule,
        MetricsModule,
        ScrapeModule.register(config),
        AdminModule.register(config),
        ProfilingModule.register(config),
      ],
      providers: [
        {
          provide: APP_PIPE,
          useValue: new ValidationPipe({
            whitelist: true,
            forbidNonWhitelisted: true,
            transform: true,
          }),
        },
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
      ],
    };
  }
}
