import { Injectable } from '@nestjs/common';
import type { SdkEvent } from '../stream/sdk-event.js';
import { StreamHub } from '../stream/stream-hub.service.js';

/**
 * Where an applied change is announced, always after the cache holds it: this instance's SDK
 * streams. (Read replicas get the same events over a Redis stream; see the replicas issue.)
 */
@Injectable()
export class ChangePublisher {
  constructor(private readonly hub: StreamHub) {}

  publish(event: SdkEvent): void {
    // Removal events carry no environment of their own: nothing to publish to (§5.1 [DEV]).
    if (event.environment) {
      this.hub.publish(event);
    }
  }

  /** The changes a resync found; SDKs that connect in the next minutes get them too. */
  publishResync(events: readonly SdkEvent[]): void {
    this.hub.publishResync(events.filter((event) => event.environment));
  }

  /** Ends SDK streams of environments whose keys or config went away; SDKs reconnect. */
  closeEnvironments(envs: readonly string[]): void {
    envs.forEach((env) => this.hub.closeEnvironment(env));
  }

  closeAll(): void {
    this.hub.closeAll();
  }
}
