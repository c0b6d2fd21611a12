// Owns the SDK-facing GET /stream: admission (API-Key, upstream stream state), the held SSE
// connections (counted against SDK_STREAM_LIMIT, ended at SDK_STREAM_MAX_AGE) and the fan-out of
// change events to them. Sync and replicas publish into it; a retired SDK-token secret ends the
// streams its tokens opened.
import { Module } from '@nestjs/common';
import { SigningKeysModule } from '../auth/signing-keys.module.js';
import { CacheModule } from '../cache/cache.module.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { StatusModule } from '../status/status.module.js';
import { StreamHub } from './stream-hub.service.js';
import { StreamController } from './stream.controller.js';
import { StreamSlots } from './stream-slots.service.js';
import { StreamService } from './stream.service.js';

@Module({
  imports: [CacheModule, MetricsModule, SigningKeysModule, StatusModule],
  controllers: [StreamController],
  providers: [StreamHub, StreamService, StreamSlots],
  exports: [StreamHub, StreamSlots],
})
export class StreamModule {}
