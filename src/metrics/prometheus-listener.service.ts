import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { ROUTES } from '../common/routes.js';
import { AppConfig } from '../config/app-config.js';
import { MetricsScrape, SCRAPE_CONTENT_TYPE } from './metrics-scrape.service.js';

const compress = promisify(gzip);
/** Harness' separate metrics server: 30 s to read a request or write an answer, 60 s idle. */
const READ_WRITE_TIMEOUT_MS = 30_000;
const IDLE_TIMEOUT_MS = 60_000;
const SCRAPE_PATH = `/${ROUTES.prometheus}`;

/**
 * The plain-HTTP listener on PROMETHEUS_PORT when it differs from PORT
 * (docs/prometheus-metrics.md). It serves `GET /metrics` and nothing else, gzipped when the scraper
 * asks for it.
 */
@Injectable()
export class PrometheusListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PrometheusListener.name);
  private server?: Server;

  constructor(
    private readonly config: AppConfig,
    private readonly scrape: MetricsScrape,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const server = createServer((request, response) => void this.answer(request, response));
    server.requestTimeout = READ_WRITE_TIMEOUT_MS;
    server.headersTimeout = READ_WRITE_TIMEOUT_MS;
    server.keepAliveTimeout = IDLE_TIMEOUT_MS;
    const port = this.config.server.prometheusPort;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '0.0.0.0', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.logger.log({ port }, 'serving prometheus metrics on their own port');
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) {
      return;
    }
    this.server = undefined;
    const closed = new Promise((resolve) => server.close(resolve));
    server.closeAllConnections();
    await closed;
  }

  private async answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    response.setTimeout(READ_WRITE_TIMEOUT_MS, () => response.destroy());
    const path = (request.url ?? '').split('?')[0];
    if (path !== SCRAPE_PATH || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      response.end('404 page not found\n');
      return;
    }
    try {
      const text = await this.scrape.render();
      const gzipped = /\bgzip\b/.test(request.headers['accept-encoding'] ?? '');
      const body = gzipped ? await compress(text) : text;
      response.writeHead(200, {
        'Content-Type': SCRAPE_CONTENT_TYPE,
        ...(gzipped ? { 'Content-Encoding': 'gzip' } : {}),
      });
      response.end(request.method === 'HEAD' ? undefined : body);
    } catch (err) {
      this.logger.warn({ err }, 'could not serve a scrape');
      response.writeHead(500).end();
    }
  }
}
