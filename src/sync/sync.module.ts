// Owns where config comes from (the offline directory, or the upstream service over one account
// stream in primary mode) and applies every change to the cache before announcing it.
import { Module } from '@nestjs/common';
import { CacheModule } from '../cache/cache.module.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { StatusModule } from '../status/status.module.js';
import { StreamModule } from '../stream/stream.module.js';
import { UpstreamModule } from '../upstream/upstream.module.js';
import { ChangePublisher } from './change-publisher.service.js';
import { ConfigLists } from './config-lists.service.js';
import { ConfigUpdater } from './config-updater.service.js';
import { FullReloadService } from './full-reload.service.js';
import { OfflineSyncService } from './offline-sync.service.js';
import { PrimarySyncService } from './primary-sync.service.js';
import { StreamHealthService } from './stream-health.service.js';
import { SyncService } from './sync.service.js';
import { UpstreamEventApplier } from './upstream-event-applier.service.js';

@Module({
  imports: [CacheModule, MetricsModule, StatusModule, StreamModule, UpstreamModule],
  providers: [
    ConfigLists,
    ConfigUpdater,
    OfflineSyncService,
    SyncService,
    ChangePublisher,
    FullReloadService,
    UpstreamEventApplier,
    PrimarySyncService,
    StreamHealthService,
  ],
  exports: [ConfigUpdater],
})
export class SyncModule {}
