import { Injectable } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter, Histogram } from 'prom-client';
import { type ClientServiceLabel, METRIC_NAMES } from './metric-names.js';

/** Which call it was, as Harness labels it: a route template, and the environment if any. */
export interface ClientServiceCall {
  readonly url:
    | '/proxy/auth'
    | '/proxy/config'
    | '/client/auth'
    | '/client/env/:env/feature-configs'
    | '/client/env/:env/target-segments';
  readonly envID: string;
}

/**
 * `ff_proxy_to_client_service_requests` and `ff_proxy_to_ff_client_service_requests_duration`
 * (docs/prometheus-metrics.md): calls to the Harness client service that got an HTTP answer.
 */
@Injectable()
export class ClientServiceMetrics {
  constructor(
    @InjectMetric(METRIC_NAMES.clientServiceRequests)
    private readonly requests: Counter<ClientServiceLabel>,
    @InjectMetric(METRIC_NAMES.clientServiceDuration)
    private readonly duration: Histogram<'url' | 'envID'>,
  ) {}

  record(call: ClientServiceCall, status: number, seconds: number): void {
    this.requests.inc({ url: call.url, envID: call.envID, code: String(status) });
    this.duration.observe({ url: call.url, envID: call.envID }, seconds);
  }
}
