// Owns where config comes from (offline directory now; the upstream service in primary mode) and
// applies every change to the cache before announcing it to SDK streams.
import { Module } from '@nestjs/common';
import { CacheModule } from '../cache/cache.module.js';
import { StatusModule } from '../status/status.module.js';
import { StreamModule } from '../stream/stream.module.js';
import { ConfigUpdater } from './config-updater.service.js';
import { OfflineSyncService } from './offline-sync.service.js';
import { SyncService } from './sync.service.js';

@Module({
  imports: [CacheModule, StatusModule, StreamModule],
  providers: [ConfigUpdater, OfflineSyncService, SyncService],
  exports: [ConfigUpdater],
})
export class SyncModule {}
