// Owns the cache: one CacheStore (Redis when REDIS_ADDRESS is set, else in-memory) mirrored into
// the memory SDK reads are served from, the Redis connection, its health, and the typed
// reader/writer of the Harness key layout that every other module uses, and the sealed state
// (rotated secrets) kept beside it.
import { Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { CacheMetrics, MemoizeMetrics } from '../metrics/cache-metrics.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { SchedulingModule } from '../scheduling/scheduling.module.js';
import { CacheHealthService } from './cache-health.service.js';
import { CacheStore } from './cache-store.js';
import { ConfigReader } from './config-reader.service.js';
import { ConfigWriter } from './config-writer.service.js';
import { InstrumentedCacheStore } from './instrumented-cache.store.js';
import { InventoryRepository } from './inventory.repository.js';
import { MemoryCacheStore } from './memory-cache.store.js';
import { MemoryMirror } from './memory-mirror.js';
import { MirroredCacheStore } from './mirrored-cache.store.js';
import { FleetCounts } from './streams/fleet-counts.js';
import { FollowedChanges } from './followed-changes.js';
import { ProxyKeyVault } from './sealed/proxy-key-vault.js';
import { SealedStateReports } from './sealed/sealed-state-reports.service.js';
import { SdkKeyRegistry } from './sealed/sdk-key-registry.service.js';
import { RedisCacheStore } from './redis-cache.store.js';
import { RedisStreams } from './streams/redis-streams.js';
import { RedisClient } from './redis/redis.client.js';
import { StreamPositions } from './streams/stream-positions.js';
import { StoredSdkKeys } from './sealed/stored-sdk-keys.js';

@Module({
  imports: [MetricsModule, SchedulingModule],
  providers: [
    {
      provide: RedisClient,
      inject: [AppConfig],
      useFactory: (config: AppConfig): RedisClient | null =>
        config.redis ? new RedisClient(config) : null,
    },
    MemoryMirror,
    {
      provide: MirroredCacheStore,
      inject: [RedisClient, MemoryMirror, CacheMetrics, MemoizeMetrics],
      // Only Redis is measured: Harness names in-memory metrics `in_mem` only in its broken
      // generate-offline mode, and nothing watches them (docs/prometheus-metrics.md).
      useFactory: (
        redis: RedisClient | null,
        mirror: MemoryMirror,
        metrics: CacheMetrics,
        memoize: MemoizeMetrics,
      ): MirroredCacheStore =>
        new MirroredCacheStore(
          redis
            ? new InstrumentedCacheStore(new RedisCacheStore(redis), metrics)
            : new MemoryCacheStore(),
          mirror,
          memoize,
        ),
    },
    // Modules that only store and fetch see the plain contract; it is the same instance.
    { provide: CacheStore, useExisting: MirroredCacheStore },
    {
      provide: RedisStreams,
      inject: [RedisClient],
      useFactory: (redis: RedisClient | null) => (redis ? new RedisStreams(redis) : null),
    },
    {
      provide: StreamPositions,
      inject: [RedisClient, RedisStreams],
      useFactory: (redis: RedisClient | null, streams: RedisStreams | null) =>
        redis && streams ? new StreamPositions(redis, streams) : null,
    },
    ConfigReader,
    ConfigWriter,
    ProxyKeyVault,
    SdkKeyRegistry,
    CacheHealthService,
    InventoryRepository,
    FleetCounts,
    FollowedChanges,
    SealedStateReports,
    StoredSdkKeys,
  ],
  exports: [
    CacheStore,
    RedisClient,
    ConfigReader,
    ConfigWriter,
    CacheHealthService,
    InventoryRepository,
    MemoryMirror,
    RedisStreams,
    StreamPositions,
    ProxyKeyVault,
    SdkKeyRegistry,
    FleetCounts,
    FollowedChanges,
    SealedStateReports,
    StoredSdkKeys,
  ],
})
export class CacheModule {}
