import { Injectable } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { type Counter, Registry } from 'prom-client';
import { METRIC_NAMES } from './metric-names.js';

/** The text format Prometheus scrapes (0.0.4; OpenMetrics is not offered, as in Harness). */
export const SCRAPE_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;

/** Renders the registry for a scrape, wherever it is served, and counts scrapes that fail. */
@Injectable()
export class MetricsScrape {
  constructor(
    private readonly registry: Registry,
    @InjectMetric(METRIC_NAMES.scrapeErrors) private readonly errors: Counter<'cause'>,
  ) {
    // Both causes are exported at 0 from the start, as promhttp does.
    errors.inc({ cause: 'gathering' }, 0);
    errors.inc({ cause: 'encoding' }, 0);
  }

  async render(): Promise<string> {
    try {
      return await this.registry.metrics();
    } catch (err) {
      // prom-client collects and encodes in one call, so every failure is a gathering one.
      this.errors.inc({ cause: 'gathering' });
      throw err;
    }
  }
}
