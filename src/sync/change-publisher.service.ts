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
  /** The last relayed event's local publish: the next one runs after it. */
  private tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly hub: StreamHub,
    @Optional() private readonly relay?: ChangeRelay,
    /** The primary's or a replica's SDK producer counters; offline mode has none. */
    @Optional() @Inject(SDK_STREAM_COUNTERS) private readonly sdkCounters?: StreamCounters,
  ) {}

  /**
   * With read replicas, this instance's SDKs hear of a change only once the replicas can see it
   * too: an SDK fetches the changed flag through the load balancer, and a replica answers such
   * a fetch once it has applied every change it can see (FollowedChanges). In order: each event
   * waits for the ones before it.
   */
  publish(event: SdkEvent): void {
    // Every change this instance applied, once, whichever way it came (stream, resync, poll).
    this.logger.log(configChangeFields(event), 'config changed');
    if (!this.relay) {
      this.publishHere(event);
      return;
    }
    const relayed = this.relay.relay(event);
    this.tail = this.tail
      .then(() => relayed)
      .then(() => this.publishHere(event))
      // One event that could not be announced must not hold back every later one.
      .catch((err: unknown) =>
        this.logger.warn({ err }, 'could not announce a change to sdk streams'),
      );
  }

  private publishHere(event: SdkEvent): void {
    if (event.event === 'apiKeyRemoved' && event.apiKey) {
      // Every key removal this instance applied and announced passes here.
      this.revokeKey(event.apiKey);
    }
    // Removal events carry no environment of their own: nothing to publish locally (Go publishes
    // them to an empty channel name); the relay to replicas still carries them.
    if (event.environment) {
      this.hub.publish(event);
      // One publish per event and environment, however many SDKs listen (Harness: Pushpin).
      this.sdkCounters?.published(event.environment);
    }
  }

  publishAll(events: readonly SdkEvent[]): void {
    events.forEach((event) => this.publish(event));
  }

  /** Ends the SDK streams opened with a key that was removed: their SDKs get a 401 on return. */
  revokeKey(keyHash: string): void {
    this.hub.closeKey(keyHash);
  }

  /** Ends SDK streams of environments whose keys or config went away; SDKs reconnect. */
  closeEnvironments(envs: readonly string[]): void {
    envs.forEach((env) => this.hub.closeEnvironment(env));
  }

  closeAll(): void {
    this.hub.closeAll();
  }
}
