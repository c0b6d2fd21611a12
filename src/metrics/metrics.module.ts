// Owns the app's Prometheus registry and every metric provider (Node process metrics stand in
// for the Go runtime ones, as prometheus-metrics.md §2.1 allows). ScrapeModule serves it.
import { Module } from '@nestjs/common';
import { collectDefaultMetrics, Registry } from 'prom-client';
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
  ],
  exports: [Registry, ...METRIC_PROVIDERS, HttpRequestMetrics],
})
export class MetricsModule {}
