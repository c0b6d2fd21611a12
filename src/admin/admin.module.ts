// Owns the Admin API (/admin/v1): key fingerprints, SDK-token secret and proxy-key rotation, for
// operators holding ADMIN_API_TOKEN; talks to the Harness admin API through the upstream module.
// Without that token nothing is mounted, so every /admin route is a 404.
import { type DynamicModule, Module } from '@nestjs/common';
import { SigningKeysModule } from '../auth/signing-keys.module.js';
import { CacheModule } from '../cache/cache.module.js';
import { REPLICA_FENCE } from '../common/guards/replica-mode.guard.js';
import type { AppConfig } from '../config/app-config.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { StreamModule } from '../stream/stream.module.js';
import { UpstreamModule } from '../upstream/upstream.module.js';
import { AdminAudit } from './admin-audit.js';
import { AdminController } from './admin.controller.js';
import { AdminGuard } from './admin.guard.js';
import { AdminService } from './admin.service.js';
import { KEY_AUTHORITY, type KeyAuthority } from './key-authority.js';
import { ProxyKeyAdmin } from './proxy-key-admin.service.js';
import { SdkKeysAdmin } from './sdk-keys-admin.service.js';

@Module({})
export class AdminModule {
  static register(config: AppConfig): DynamicModule {
    if (!config.admin.token) {
      return { module: AdminModule };
    }
    return {
      module: AdminModule,
      imports: [CacheModule, MetricsModule, SigningKeysModule, StreamModule, UpstreamModule],
      controllers: [AdminController],
      providers: [
        AdminGuard,
        // Only a read replica refuses the writes, which change what the primary owns.
        { provide: REPLICA_FENCE, useValue: config.mode === 'replica' },
        { provide: KEY_AUTHORITY, useValue: keyAuthorityOf(config) },
        AdminAudit,
        AdminService,
        ProxyKeyAdmin,
        SdkKeysAdmin,
      ],
    };
  }
}

function keyAuthorityOf(config: AppConfig): KeyAuthority {
  return config.mode === 'offline' ? 'relay' : 'harness';
}
