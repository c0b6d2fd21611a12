import { createServer, type Server } from 'node:http';
import Fastify, { type FastifyInstance, type FastifyServerFactoryHandler } from 'fastify';
import { adminRoutes } from './admin-routes.js';
import { clientRoutes } from './client-routes.js';
import type { UpstreamEmulatorOptions } from './emulator-options.js';
import { EmulatorState } from './emulator-state.js';
import { sendError } from './guards.js';
import { metricsRoutes } from './metrics-routes.js';
import { proxyRoutes } from './proxy-routes.js';
import { RequestRecorder, type RecordedRequest, type RequestFilter } from './request-recorder.js';
import { streamRoutes } from './stream-routes.js';
import { sseFrame } from './stream-messages.js';

/** `refuse`: the port is closed (connection refused); `503`: every request gets a 503. */
export type OutageMode = 'refuse' | '503';

/**
 * An in-process stand-in for Harness SaaS (client, metrics and admin services) as described in
 * docs/upstream.md, plus the control API (inherited from {@link EmulatorState}) tests drive it
 * with.
 */
export class UpstreamEmulator extends EmulatorState {
  private readonly app: FastifyInstance;
  private readonly recorder: RequestRecorder;
  private handler: FastifyServerFactoryHandler | undefined;
  private server: Server | undefined;
  private boundPort: number | undefined;
  private outage: OutageMode | undefined;

  constructor(options: UpstreamEmulatorOptions = {}) {
    super(options);
    const { basePath, metricsBasePath, adminBasePath, logger } = this.settings;
    this.recorder = new RequestRecorder([basePath, metricsBasePath, adminBasePath]);
    // We own the http.Server so that goDown('refuse') can close the port and comeBack() can
    // reopen it; a Fastify instance cannot listen again once closed.
    this.app = Fastify({
      logger,
      // Metrics batches may pass the 1 MiB flush threshold by a whole request
      // (docs/upstream.md, "SDK metrics").
      bodyLimit: 64 * 1024 * 1024,
      serverFactory: (handler) => {
        this.handler = handler;
        return createServer(handler);
      },
    });
    this.recorder.register(this.app);
    // Harness answers every error with its `{code, message}` model, not Fastify's default body.
    this.app.setNotFoundHandler((request, reply) =>
      sendError(reply, 404, `${request.url} not found`),
    );
    this.app.setErrorHandler((error: { statusCode?: number; message: string }, _request, reply) =>
      sendError(reply, error.statusCode ?? 500, error.message),
    );
    this.app.addHook('preHandler', (_request, reply, done) => {
      if (this.outage === '503') {
        return sendError(reply, 503, 'service unavailable');
      }
      done();
    });
    void this.app.register(proxyRoutes(this.ctx), { prefix: basePath });
    void this.app.register(clientRoutes(this.ctx), { prefix: basePath });
    void this.app.register(streamRoutes(this.ctx), { prefix: basePath });
    void this.app.register(metricsRoutes(this.ctx), { prefix: metricsBasePath });
    void this.app.register(adminRoutes(this.ctx), { prefix: adminBasePath });
  }

  /** Listens on 127.0.0.1; port 0 picks a free one. */
  async start(port = 0): Promise<void> {
    await this.app.ready();
    await this.listen(port);
  }

  async stop(): Promise<void> {
    this.keys.close();
    this.hub.close();
    await this.closeServer();
    await this.app.close();
  }

  get port(): number {
    if (this.boundPort === undefined) {
      throw new Error('the emulator has not been started');
    }
    return this.boundPort;
  }

  /** Client-service base URL (`CLIENT_SERVICE`), e.g. `http://127.0.0.1:PORT/api/1.0`. */
  get url(): string {
    return `http://127.0.0.1:${this.port}${this.settings.basePath}`;
  }

  /** Metrics-service base URL (`METRIC_SERVICE`). */
  get metricsUrl(): string {
    return `http://127.0.0.1:${this.port}${this.settings.metricsBasePath}`;
  }

  /** Admin API base URL (the `https://app.harness.io/gateway/cf` equivalent). */
  get adminUrl(): string {
    return `http://127.0.0.1:${this.port}${this.settings.adminBasePath}`;
  }

  get account(): string {
    return this.settings.account;
  }

  /** The identifier of the proxy key it was started with (the admin API's path parameter). */
  get proxyKeyIdentifier(): string {
    return this.settings.proxyKeyIdentifier;
  }

  get adminApiKey(): string {
    return this.settings.adminApiKey;
  }

  get openStreams(): number {
    return this.hub.openCount;
  }

  /** Sends any message (as `event: *` + `data:`) to every open stream. */
  emit(message: object): number {
    return this.hub.send(sseFrame(message));
  }

  /** Writes bytes verbatim to every open stream: malformed events, `id:` lines, huge frames. */
  emitRaw(frame: string): number {
    return this.hub.send(frame);
  }

  /** Destroys every open stream's socket (a reset, not a clean end). */
  cutStreams(): void {
    this.hub.cut();
  }

  /** Ends every open stream cleanly, as SaaS does after about 24 h. */
  endStreams(): void {
    this.hub.end();
  }

  /** Open streams go silent (no heartbeats, no events) but stay open; new ones work. */
  stallStreams(): number {
    return this.hub.stall();
  }

  async goDown(mode: OutageMode = 'refuse'): Promise<void> {
    this.hub.cut();
    this.outage = mode;
    if (mode === 'refuse') {
      await this.closeServer();
    }
  }

  /** Reopens the same port after a `refuse` outage, so configured URLs stay valid. */
  async comeBack(): Promise<void> {
    if (this.outage === 'refuse') {
      await this.listen(this.port);
    }
    this.outage = undefined;
  }

  requests(filter?: RequestFilter): RecordedRequest[] {
    return this.recorder.list(filter);
  }

  clearRequests(): void {
    this.recorder.clear();
  }

  private async listen(port: number): Promise<void> {
    const server = createServer(this.handler);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    this.boundPort = typeof address === 'object' && address ? address.port : port;
    this.server = server;
  }

  private async closeServer(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }
}
