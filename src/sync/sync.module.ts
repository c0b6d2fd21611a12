// Owns where config comes from, chosen once here by mode: the offline directory, the upstream
// service over one account stream (primary), or the primary through Redis (read replica). Every
// change is applied to the cache before it is announced to SDK streams (and, from a primary with
// Redis, to its read replicas).
import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { CacheModule } from '../cache/cache.module.js';
import type { AppConfig } from '../config/app-config.js';
import { ROLE_METRIC_PROVIDERS } from '../metrics/metric-providers.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { SchedulingModule } from '../scheduling/scheduling.module.js';
import { StatusModule } from '../status/status.module.js';
import { StreamModule } from '../stream/stream.module.js';
import { UpstreamModule } from '../upstream/upstream.module.js';
import { ChangePublisher } from './change-publisher.service.js';
import { ChangeRelay, ConfigSource } from './config-source.js';
import { ConfigUpdater } from './offline/config-updater.service.js';
import { OfflineSyncService } from './offline/offline-sync.service.js';
import { AccountStreamMessages } from './primary/account-stream-messages.service.js';
import { AccountStreamService } from './primary/account-stream.service.js';
import { CacheRepairService } from './primary/cache-repair.service.js';
import { ConfigLists } from './primary/config-lists.service.js';
import { FullReloadService } from './primary/full-reload.service.js';
import { MemoryFitService } from './primary/memory-fit.service.js';
import { PrimarySyncService } from './primary/primary-sync.service.js';
import { ProxyKeyHealth } from './primary/proxy-key-health.service.js';
import { ReplicaBroadcast } from './primary/replica-broadcast.service.js';
import { StreamHealthService } from './primary/stream-health.service.js';
import { SyncQueue } from './primary/sync-queue.service.js';
import { UpstreamEventApplier } from './primary/upstream-event-applier.service.js';
import { RefillResync } from './replica/refill-resync.service.js';
import { ReplicaReadiness } from './replica/replica-readiness.service.js';
import { ReplicaSyncService } from './replica/replica-sync.service.js';
import { ReplaySeed } from './replay-seed.service.js';
import { StreamGauges } from './stream-gauges.service.js';
import { SyncService } from './sync.service.js';

function source(useExisting: new (...args: never[]) => ConfigSource): Provider {
  return { provide: ConfigSource, useExisting };
}

/** The providers of each mode; each supplies a ConfigSource. */
function modeProviders(config: AppConfig): Provider[] {
  switch (config.mode) {
    case 'primary':
      return [
        ...ROLE_METRIC_PROVIDERS.primarySync,
        PrimarySyncService,
        source(PrimarySyncService),
        SyncQueue,
        AccountStreamService,
        AccountStreamMessages,
        CacheRepairService,
        FullReloadService,
        MemoryFitService,
        UpstreamEventApplier,
        ProxyKeyHealth,
        ConfigLists,
        StreamHealthService,
        // Read replicas can only follow a primary that shares a Redis with them.
        ...(config.redis ? [{ provide: ChangeRelay, useClass: ReplicaBroadcast }, ReplaySeed] : []),
      ];
    case 'replica':
      return [
        ...ROLE_METRIC_PROVIDERS.replicaSync,
        ReplicaSyncService,
        source(ReplicaSyncService),
        ReplicaReadiness,
        RefillResync,
        ReplaySeed,
      ];
    case 'offline':
      return [OfflineSyncService, source(OfflineSyncService), ConfigUpdater, StreamHealthService];
    case 'generate-offline-config':
      break;
  }
  throw new Error('GENERATE_OFFLINE_CONFIG runs without the server (see main.ts)');
}

@Module({})
export class SyncModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: SyncModule,
      imports: [
        CacheModule,
        MetricsModule,
        SchedulingModule,
        StatusModule,
        StreamModule,
        UpstreamModule,
      ],
      providers: [SyncService, ChangePublisher, StreamGauges, ...modeProviders(config)],
    };
  }
}
