import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { SDK_STREAM_COUNTERS } from '../metrics/metric-providers.js';
import type { StreamCounters } from '../metrics/stream-counters.js';
import type { SdkEvent } from '../stream/sdk-event.js';
import { StreamHub } from '../stream/stream-hub.service.js';
import { configChangeFields } from './config-change.js';
import { ChangeRelay } from './config-source.js';

/**
 * Where an applied change is announced, always after the cache holds it: this instance's SDK
 * streams, and the relay to read replicas where there is one.
 */
@Injectable()
export class ChangePublisher {
  private readonly logger = new Logger(ChangePublisher.name);

  constructor(
    private readonly hub: StreamHub,
    @Optional() private readonly relay?: ChangeRelay,
    /** The primary's or a replica's SDK producer counters; offline mode has none (§2.7). */
    @Optional() @Inject(SDK_STREAM_COUNTERS) private readonly sdkCounters?: StreamCounters,
  ) {}

  publish(event: SdkEvent): void {
    // Every change this instance applied, once, whichever way it came (stream, resync, poll).
    this.logger.log(configChangeFields(event), 'config changed');
    // Removal events carry no environment of their own: nothing to publish locally (§5.1 [DEV]).
    if (event.environment) {
      this.hub.publish(event);
      // One publish per event and environment, however many SDKs listen (Harness: Pushpin).
      this.sdkCounters?.published(event.environment);
    }
    this.relay?.relay(event);
  }

  publishAll(events: readonly SdkEvent[]): void {
    events.forEach((event) => this.publish(event));
  }

  /** Ends SDK streams of environments whose keys or config went away; SDKs reconnect. */
  closeEnvironments(envs: readonly string[]): void {
    envs.forEach((env) => this.hub.closeEnvironment(env));
  }

  closeAll(): void {
    this.hub.closeAll();
  }
}
