import { hostname } from 'node:os';
import { Injectable, type OnModuleDestroy, type OnModuleInit, Optional } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Gauge } from 'prom-client';
import { METRIC_NAMES } from '../metrics/metric-names.js';
import { ProxyStatus } from '../status/proxy-status.service.js';

const HOST = hostname() || 'unknown';

/**
 * `ff_proxy_stream_health` and `ff_proxy_polling_status` follow the stream state, whoever sets it
 * (the primary's upstream stream, or a replica following its primary). Absent until the first
 * transition, as in Harness.
 */
@Injectable()
export class StreamGauges implements OnModuleInit, OnModuleDestroy {
  private unsubscribe?: () => void;

  constructor(
    private readonly status: ProxyStatus,
    @InjectMetric(METRIC_NAMES.streamHealth) private readonly health: Gauge<'host'>,
    /** Primary only (docs/prometheus-metrics.md): a replica never polls upstream. */
    @Optional()
    @InjectMetric(METRIC_NAMES.pollingStatus)
    private readonly polling?: Gauge<'host'>,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = this.status.onStreamChange((state) => {
      if (state !== 'INITIALIZING') {
        this.health.labels(HOST).set(state === 'CONNECTED' ? 1 : 0);
        this.polling?.labels(HOST).set(state === 'DISCONNECTED' ? 1 : 0);
      }
    });
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }
}
