import { type BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import type { Target } from '../model/target.js';
import { UpstreamClient } from '../upstream/upstream.client.js';

/**
 * FORWARD_TARGETS (`upstream-api.md` §6): re-sends an SDK's auth with its target to Harness so
 * that SaaS registers the target. Fire and forget: the SDK's own auth never waits for it or
 * fails because of it. Primaries and replicas both forward; offline never does.
 */
@Injectable()
export class TargetForwarder implements BeforeApplicationShutdown {
  private readonly logger = new Logger(TargetForwarder.name);
  private readonly enabled: boolean;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    config: AppConfig,
    private readonly upstream: UpstreamClient,
  ) {
    this.enabled =
      config.upstream.forwardTargets && (config.mode === 'primary' || config.mode === 'replica');
  }

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
