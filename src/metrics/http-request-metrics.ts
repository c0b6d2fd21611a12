import { Injectable } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter, Histogram } from 'prom-client';
import { type HttpLabel, METRIC_NAMES } from './metric-names.js';
import { isFixedRoute, type RouteLabels, routeLabels } from './route-template.js';

/** A route's labels with its duration series looked up once. */
export interface MeasuredRoute extends RouteLabels {
  readonly duration: { observe(seconds: number): void };
}

/** Status codes as label strings, made once rather than per request. */
const CODES = Array.from({ length: 600 }, (_, code) => String(code));

/**
 * `ff_proxy_http_requests_total`, `ff_proxy_http_requests_duration` and
 * `ff_http_requests_content_length_histogram` (docs/prometheus-metrics.md), recorded by the
 * outermost HTTP hook (`http-server.ts`). It runs on every SDK request, so each route's labels
 * and duration series are worked out on its first request and reused.
 */
@Injectable()
export class HttpRequestMetrics {
  private readonly routes = new Map<string, MeasuredRoute>();

  constructor(
    @InjectMetric(METRIC_NAMES.httpRequests) private readonly requests: Counter<HttpLabel>,
    @InjectMetric(METRIC_NAMES.httpDuration) private readonly duration: Histogram<'url'>,
    @InjectMetric(METRIC_NAMES.httpContentLength) private readonly bodies: Histogram,
  ) {}

  /** The labels of a request that matched `routeUrl` (undefined when nothing matched). */
  route(routeUrl: string | undefined, path: string): MeasuredRoute {
    if (!isFixedRoute(routeUrl)) {
      return this.measure(routeLabels(routeUrl, path));
    }
    let route = this.routes.get(routeUrl);
    if (!route) {
      route = this.measure(routeLabels(routeUrl, path));
      this.routes.set(routeUrl, route);
    }
    return route;
  }

  record(route: MeasuredRoute, envID: string, status: number, seconds: number): void {
    this.requests.inc({ url: route.url, envID, code: CODES[status] ?? String(status) });
    route.duration.observe(seconds);
  }

  /** A POST's `Content-Length`; like Go, -1 when the length is not known (chunked). */
  recordBody(contentLength: string | undefined, chunked: boolean): void {
    const length = contentLength === undefined ? (chunked ? -1 : 0) : Number(contentLength);
    this.bodies.observe(Number.isFinite(length) ? length : -1);
  }

  private measure(labels: RouteLabels): MeasuredRoute {
    return { ...labels, duration: this.duration.labels({ url: labels.url }) };
  }
}
