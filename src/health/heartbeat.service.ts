import type { AddressInfo } from 'node:net';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { Agent, fetch } from 'undici';
import { AppConfig } from '../config/app-config.js';
import { ScheduledJobs } from '../scheduling/scheduled-jobs.service.js';

export interface HeartbeatResult {
  at: number;
  /** HTTP status, or 0 when the request failed. */
  status: number;
}

/**
 * `HEARTBEAT_INTERVAL` (docs/upstream.md): the process asks its own `/health` and logs
 * the answer, so a wedged server shows up in the logs. 0 disables it (the Go proxy panics).
 */
@Injectable()
export class HeartbeatService implements OnApplicationBootstrap {
  private readonly logger = new Logger(HeartbeatService.name);
  // A self-signed certificate is fine for a loopback call to ourselves.
  private readonly agent = new Agent({ connect: { rejectUnauthorized: false } });
  last: HeartbeatResult | undefined;
  /** Whether `/health` has answered 200 yet: before that, a 503 is a start still under way. */
  private healthyOnce = false;

  constructor(
    private readonly config: AppConfig,
    private readonly adapterHost: HttpAdapterHost,
    private readonly jobs: ScheduledJobs,
  ) {}

  onApplicationBootstrap(): void {
    const seconds = this.config.heartbeatIntervalSeconds;
    if (seconds > 0) {
      this.jobs.every('heartbeat', seconds * 1000, () => this.beat());
    }
  }

  async beat(): Promise<void> {
    const port = this.listeningPort();
    if (port === undefined) {
      return;
    }
    const scheme = this.config.server.tls.enabled ? 'https' : 'http';
    try {
      const response = await fetch(`${scheme}://localhost:${port}/health`, {
        dispatcher: this.agent,
        signal: AbortSignal.timeout(10_000),
      });
      const body = await response.text();
      this.last = { at: Date.now(), status: response.status };
      if (response.status === 200) {
        this.healthyOnce = true;
        this.logger.log({ status: response.status }, 'heartbeat healthy');
      } else if (response.status === 503 && !this.healthyOnce) {
        // A slow first load (thousands of environments, a busy node) is not an incident: an
        // ERROR at every such start would page someone for nothing. Failures stay ERRORs.
        this.logger.warn({ status: response.status, body }, 'heartbeat: not ready yet');
      } else {
        this.logger.error({ status: response.status, body }, 'heartbeat unhealthy');
      }
    } catch (err) {
      this.last = { at: Date.now(), status: 0 };
      this.logger.error({ err }, 'heartbeat request failed');
    }
  }

  private listeningPort(): number | undefined {
    const server = this.adapterHost.httpAdapter?.getHttpServer() as
      { address(): AddressInfo | string | null; listening: boolean } | undefined;
    const address = server?.listening ? server.address() : null;
    return typeof address === 'object' && address !== null ? address.port : undefined;
  }
}
