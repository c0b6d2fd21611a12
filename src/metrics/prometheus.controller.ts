import { Controller, Get, Header } from '@nestjs/common';
import { Operational } from '../common/decorators/public.decorator.js';
import { ROUTES } from '../common/routes.js';
import { MetricsScrape, SCRAPE_CONTENT_TYPE } from './metrics-scrape.service.js';

/**
 * The scrape endpoint on the main port, open like the Harness one (docs/prometheus-metrics.md).
 * Mounted only while PROMETHEUS_PORT is the main port.
 */
@Controller(ROUTES.prometheus)
@Operational()
export class PrometheusController {
  constructor(private readonly scrape: MetricsScrape) {}

  @Get()
  @Header('Content-Type', SCRAPE_CONTENT_TYPE)
  index(): Promise<string> {
    return this.scrape.render();
  }
}
