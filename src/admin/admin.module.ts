// Owns the Admin API (/admin/v1): key fingerprints and SDK-token secret rotation, for operators
// holding ADMIN_API_TOKEN. Without that token nothing is mounted, so every /admin route is a 404.
import { type DynamicModule, Module } from '@nestjs/common';
import { SigningKeysModule } from '../auth/signing-keys.module.js';
import { CacheModule } from '../cache/cache.module.js';
import type { AppConfig } from '../config/app-config.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { AdminController } from './admin.controller.js';
import { AdminGuard } from './admin.guard.js';
import { AdminService } from './admin.service.js';

@Module({})
export class AdminModule {
  static register(config: AppConfig): DynamicModule {
    if (!config.admin.token) {
      return { module: AdminModule };
    }
    return {
      module: AdminModule,
      imports: [CacheModule, MetricsModule, SigningKeysModule],
      controllers: [AdminController],
      providers: [AdminGuard, AdminService],
    };
  }
}
