// Owns the OpenFeature Remote Evaluation Protocol (OFREP): evaluation from the same cache and
// evaluator as the Harness routes, its change-notification streams (held by the SDK stream hub),
// and the evaluations it counts into the SDK-metrics pipeline. Served in every mode.
import { type DynamicModule, Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { SigningKeysModule } from '../auth/signing-keys.module.js';
import { CacheModule } from '../cache/cache.module.js';
import { StatusModule } from '../status/status.module.js';
import { StreamModule } from '../stream/stream.module.js';
import { OfrepEventsController } from './ofrep-events.controller.js';
import { OfrepEvents } from './ofrep-events.service.js';
import { OfrepStreamTokens } from './ofrep-stream-tokens.service.js';
import { OfrepUsage } from './ofrep-usage.service.js';
import { OfrepController } from './ofrep.controller.js';
import { OfrepService } from './ofrep.service.js';

@Module({})
export class OfrepModule {
  /** `sdkMetrics`: the very module AppModule imports, so there is one intake and one sink. */
  static register(sdkMetrics: DynamicModule): DynamicModule {
    return {
      module: OfrepModule,
      imports: [
        CacheModule,
        SigningKeysModule,
        StatusModule,
        StreamModule,
        sdkMetrics,
        JwtModule.register({}),
      ],
      controllers: [OfrepController, OfrepEventsController],
      providers: [OfrepService, OfrepEvents, OfrepStreamTokens, OfrepUsage],
    };
  }
}
