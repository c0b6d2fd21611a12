// Owns the app's Prometheus registry and every metric provider (Node process metrics stand in
// for the Go runtime ones, as docs/prometheus-metrics.md allows). ScrapeModule serves it.
import { Module } from '@nestjs/common';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { CacheMetrics, MemoizeMetrics } from './cache-metrics.js';
import { ClientServiceMetrics } from './client-service-metrics.js';
import { HttpRequestMetrics } from './http-request-metrics.js';
import { METRIC_PROVIDERS } from './metric-providers.js';

function createRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

@Module({
  providers: [
    { provide: Registry, useFactory: createRegistry },
    ...METRIC_PROVIDERS,
    HttpRequestMetrics,
    ClientServiceMetrics,
    CacheMetrics,
    MemoizeMetrics,
  ],
  exports: [
    Registry,
    ...METRIC_PROVIDERS,
    HttpRequestMetrics,
    ClientServiceMetrics,
    CacheMetrics,
    MemoizeMetrics,
  ],
})
export class MetricsModule {}
