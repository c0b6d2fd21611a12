import { type BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import type { Target } from '../model/target.js';
import { UpstreamClient } from '../upstream/upstream.client.js';

/**
 * FORWARD_TARGETS (docs/upstream.md): re-sends an SDK's auth with its target to Harness so
 * that SaaS registers the target. Fire and forget: the SDK's own auth never waits for it or
 * fails because of it. Only a primary forwards (AuthModule decides): a read replica makes no
 * upstream call, offline has no upstream.
 */
@Injectable()
export class TargetForwarder implements BeforeApplicationShutdown {
  private readonly logger = new Logger(TargetForwarder.name);
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly upstream: UpstreamClient,
    private readonly enabled: boolean,
  ) {}

  /** Starts the forward and returns at once; `apiKey` is the raw key the SDK sent. */
  forward(apiKey: string, target: Target): void {
    if (!this.enabled || !target.identifier) {
      return;
    }
    const call: Promise<void> = this.upstream
      .forwardTarget(apiKey, target)
      .catch((err: unknown) => {
        this.logger.warn({ err, target: target.identifier }, 'could not forward a target upstream');
      })
      .finally(() => this.inFlight.delete(call));
    this.inFlight.add(call);
  }

  /** Lets forwards under way finish (10 s at most) before the upstream client closes. */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.allSettled(this.inFlight);
  }
}
