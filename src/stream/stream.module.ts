// Owns the SDK-facing GET /stream: admission (API-Key, upstream stream state), the held SSE
// connections and the fan-out of change events to them. Sync and replicas publish into it.
import { Module } from '@nestjs/common';
import { CacheModule } from '../cache/cache.module.js';
import { StatusModule } from '../status/status.module.js';
import { StreamHub } from './stream-hub.service.js';
import { StreamController } from './stream.controller.js';
import { StreamService } from './stream.service.js';

@Module({
  imports: [CacheModule, StatusModule],
  controllers: [StreamController],
  providers: [StreamHub, StreamService],
  exports: [StreamHub],
})
export class StreamModule {}
