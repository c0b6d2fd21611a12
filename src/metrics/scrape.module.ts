// Owns where Prometheus scrapes this app's registry: GET /metrics on the main port, or a
// listener of its own when PROMETHEUS_PORT differs from PORT (then the main port has no scrape).
import { type DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { MetricsScrape } from './metrics-scrape.service.js';
import { MetricsModule } from './metrics.module.js';
import { PrometheusListener } from './prometheus-listener.service.js';
import { PrometheusController } from './prometheus.controller.js';

@Module({})
export class ScrapeModule {
  static register(config: AppConfig): DynamicModule {
    const ownPort = config.server.prometheusPort !== config.server.port;
    return {
      module: ScrapeModule,
      imports: [MetricsModule],
      controllers: ownPort ? [] : [PrometheusController],
      providers: [MetricsScrape, ...(ownPort ? [PrometheusListener] : [])],
    };
  }
}
