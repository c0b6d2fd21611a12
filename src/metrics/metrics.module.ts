// Owns Prometheus: the /metrics scrape route and every ff_* metric provider (Node process metrics
// stand in for the Go runtime ones, as prometheus-metrics.md §2.1 allows).
import { Module } from '@nestjs/common';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import { ROUTES } from '../common/routes.js';
import { METRIC_PROVIDERS } from './metric-providers.js';
import { PrometheusController } from './prometheus.controller.js';

@Module({
  imports: [
    PrometheusModule.register({
      path: `/${ROUTES.prometheus}`,
      controller: PrometheusController,
      defaultMetrics: { enabled: true },
    }),
  ],
  providers: [...METRIC_PROVIDERS],
  exports: [...METRIC_PROVIDERS],
})
export class MetricsModule {}
