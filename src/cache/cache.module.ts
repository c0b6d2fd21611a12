// Owns the cache: one CacheStore (Redis when REDIS_ADDRESS is set, else in-memory), the Redis
// connection, and the typed reader/writer of the Harness key layout that every other module uses.
import { Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { CacheHealthService } from './cache-health.service.js';
import { CacheStore } from './cache-store.js';
import { ConfigReader } from './config-reader.service.js';
import { ConfigWriter } from './config-writer.service.js';
import { InventoryRepository } from './inventory.repository.js';
import { MemoryCacheStore } from './memory-cache.store.js';
import { RedisCacheStore } from './redis-cache.store.js';
import { RedisClient } from './redis.client.js';

@Module({
  imports: [MetricsModule],
  providers: [
    {
      provide: RedisClient,
      inject: [AppConfig],
      useFactory: (config: AppConfig): RedisClient | null =>
        config.redis ? new RedisClient(config) : null,
    },
    {
      provide: CacheStore,
      inject: [RedisClient],
      useFactory: (redis: RedisClient | null): CacheStore =>
        redis ? new RedisCacheStore(redis) : new MemoryCacheStore(),
    },
    ConfigReader,
    ConfigWriter,
    CacheHealthService,
    InventoryRepository,
  ],
  exports: [
    CacheStore,
    RedisClient,
    ConfigReader,
    ConfigWriter,
    CacheHealthService,
    InventoryRepository,
  ],
})
export class CacheModule {}
