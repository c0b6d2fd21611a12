import { Injectable, Logger, type OnApplicationShutdown, Optional } from '@nestjs/common';
import { EnvHttpProxyAgent, fetch, type Response } from 'undici';
import { PROXY_VERSION } from '../common/version.js';
import { AppConfig } from '../config/app-config.js';
import { type ClientServiceCall, ClientServiceMetrics } from '../metrics/client-service-metrics.js';
import type { FeatureConfig } from '../model/feature-config.js';
import type { Segment } from '../model/segment.js';
import type { Target } from '../model/target.js';
import { eachPage } from './config-pages.js';
import { parseConfigPage, type ProxyConfigPage } from './proxy-config.js';
import { ProxyKey } from './proxy-key.js';
import { bearer, harnessHeaders, readAnswer, send } from './upstream-http.js';
import { UpstreamError } from './upstream-error.js';
import { sessionFromToken, type UpstreamSession } from './upstream-session.js';

const AUTH_TIMEOUT_MS = 30_000;
const CONFIG_TIMEOUT_MS = 5 * 60_000;
const CALL_TIMEOUT_MS = 30_000;
const TARGET_FORWARD_TIMEOUT_MS = 10_000;
const PAGE_SIZE = 10;
/** `/proxy/config` pages asked at once after the first. */
const PAGE_CONCURRENCY = 4;

interface CallOptions {
  method?: 'GET' | 'POST';
  base?: 'client' | 'metric';
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: unknown;
  signal?: AbortSignal;
  /** Some answers (metrics) have no JSON body worth reading. */
  expectJson?: boolean;
  /** How the call is counted in the client-service metrics; metrics posts are not. */
  metric?: ClientServiceCall;
}

const PROXY_AUTH: ClientServiceCall = { url: '/proxy/auth', envID: '' };
/**
 * One observation per page; `envID` stays empty even for one environment's config
 * (docs/prometheus-metrics.md).
 */
const PROXY_CONFIG: ClientServiceCall = { url: '/proxy/config', envID: '' };
const CLIENT_AUTH: ClientServiceCall = { url: '/client/auth', envID: '' };

/**
 * The one owner of HTTP calls to the Harness service (docs/upstream.md). It keeps the current
 * proxy token and re-authenticates once when a call is refused with 401/403. Honours
 * HTTP_PROXY / HTTPS_PROXY / NO_PROXY like the Go proxy does.
 */
@Injectable()
export class UpstreamClient implements OnApplicationShutdown {
  private readonly logger = new Logger(UpstreamClient.name);
  private readonly dispatcher = new EnvHttpProxyAgent();
  private current: UpstreamSession | undefined;

  constructor(
    private readonly config: AppConfig,
    private readonly proxyKey: ProxyKey,
    /** Absent in the one-shot offline-config generator, which has no Prometheus. */
    @Optional() private readonly metrics?: ClientServiceMetrics,
  ) {}

  get session(): UpstreamSession | undefined {
    return this.current;
  }

  /** `POST /proxy/auth`: a fresh token for the proxy key. */
  async authenticate(): Promise<UpstreamSession> {
    const body = await this.call('/proxy/auth', {
      method: 'POST',
      body: { proxyKey: this.proxyKey.value },
      signal: AbortSignal.timeout(AUTH_TIMEOUT_MS),
      metric: PROXY_AUTH,
    });
    const token = (body as { authToken?: unknown } | null)?.authToken;
    if (typeof token !== 'string') {
      throw new UpstreamError('/proxy/auth', 200, 'no authToken in the answer');
    }
    this.current = sessionFromToken(token);
    return this.current;
  }

  /**
   * Whether Harness accepts `candidate` as a proxy key (`POST /proxy/auth`), without touching
   * the session in service. A refusal (401/403/404) is `false`; anything else unusable throws.
   */
  async acceptsProxyKey(candidate: string): Promise<boolean> {
    try {
      await this.call('/proxy/auth', {
        method: 'POST',
        body: { proxyKey: candidate },
        signal: AbortSignal.timeout(AUTH_TIMEOUT_MS),
        metric: PROXY_AUTH,
      });
      return true;
    } catch (err) {
      if (err instanceof UpstreamError && [401, 403, 404].includes(err.status)) {
        return false;
      }
      throw err;
    }
  }

  /**
   * Every environment the key covers (or just `environment`), all pages or nothing. The first
   * page says how many there are; the rest are asked `PAGE_CONCURRENCY` at a time (pages are
   * 10 environments, so thousands of environments are hundreds of round trips), kept in order.
   */
  async fetchConfig(environment?: string): Promise<ProxyConfigPage['environments']> {
    const pages: ProxyConfigPage['environments'][] = [];
    await this.streamConfig((environments, pageNumber) => {
      pages[pageNumber] = environments;
      return Promise.resolve();
    }, environment);
    return pages.flat();
  }

  /**
   * Every page of `/proxy/config`, each handed to `onPage` as it arrives and let go once
   * `onPage` resolves (see {@link eachPage}), so a config of thousands of environments is never
   * held decoded at once.
   */
  async streamConfig(
    onPage: (environments: ProxyConfigPage['environments'], pageNumber: number) => Promise<void>,
    environment?: string,
  ): Promise<void> {
    await this.withSession((session) =>
      eachPage(
        async (pageNumber, signal) => {
          const query: Record<string, string> = {
            cluster: session.cluster,
            key: this.proxyKey.value,
            pageNumber: String(pageNumber),
            pageSize: String(PAGE_SIZE),
            ...(environment ? { environment } : {}),
          };
          const raw = await this.call('/proxy/config', {
            query,
            signal,
            headers: bearer(session),
            metric: PROXY_CONFIG,
          });
          return parseConfigPage(raw, (reason) =>
            this.logger.warn({ reason }, 'skipping an environment in /proxy/config'),
          );
        },
        (page, pageNumber) => onPage(page.environments, pageNumber),
        { concurrency: PAGE_CONCURRENCY, timeoutMs: CONFIG_TIMEOUT_MS },
      ),
    );
  }

  fetchFeatureConfigs(env: string): Promise<FeatureConfig[]> {
    const metric = { url: '/client/env/:env/feature-configs', envID: env } as const;
    return this.fetchList(env, `/client/env/${env}/feature-configs`, {}, metric) as Promise<
      FeatureConfig[]
    >;
  }

  fetchSegments(env: string): Promise<Segment[]> {
    const metric = { url: '/client/env/:env/target-segments', envID: env } as const;
    return this.fetchList(
      env,
      `/client/env/${env}/target-segments`,
      { rules: 'v2' },
      metric,
    ) as Promise<Segment[]>;
  }

  /** `POST {METRIC_SERVICE}/metrics/{env}`: one environment's batch. */
  async postMetrics(env: string, batch: object): Promise<void> {
    await this.withSession((session) =>
      this.call(`/metrics/${env}`, {
        method: 'POST',
        base: 'metric',
        query: { cluster: session.cluster },
        headers: { ...harnessHeaders(session, env), Connection: 'close' },
        body: batch,
        signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
        expectJson: false,
      }),
    );
  }

  /** Re-sends an SDK's auth with its target so Harness registers the target (fire and forget). */
  async forwardTarget(apiKey: string, target: Target): Promise<void> {
    await this.call('/client/auth', {
      method: 'POST',
      body: { apiKey, target: { ...target, name: target.name ?? '' } },
      signal: AbortSignal.timeout(TARGET_FORWARD_TIMEOUT_MS),
      metric: CLIENT_AUTH,
    });
  }

  /** Opens the account-level SSE stream with the current token; the caller reads the body. */
  async openStream(signal: AbortSignal): Promise<Response> {
    const session = this.current ?? (await this.authenticate());
    const url = `${this.config.upstream.clientService}/stream?cluster=${session.cluster}&stream=*`;
    const response = await fetch(url, {
      dispatcher: this.dispatcher,
      signal,
      headers: {
        Accept: 'text/event-stream',
        'Cache-Control': 'no-cache',
        'API-Key': this.proxyKey.value,
        'Harness-AccountID': session.account,
        'Harness-SDK-Info': `Proxy ${PROXY_VERSION}`,
        ...bearer(session),
      },
    });
    if (response.status !== 200 || !response.body) {
      await response.body?.cancel();
      throw new UpstreamError('/stream', response.status, `status ${response.status}`);
    }
    return response;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.dispatcher.close();
  }

  private fetchList(
    env: string,
    path: string,
    extra: Record<string, string>,
    metric: ClientServiceCall,
  ) {
    return this.withSession(async (session) => {
      const body = await this.call(path, {
        query: { cluster: session.cluster, ...extra },
        headers: harnessHeaders(session, env),
        signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
        metric,
      });
      if (!Array.isArray(body)) {
        throw new UpstreamError(path, 200, 'expected a JSON array');
      }
      return body as unknown[];
    });
  }

  /** Runs `fn` with a session, re-authenticating once if the token was refused. */
  private async withSession<T>(fn: (session: UpstreamSession) => Promise<T>): Promise<T> {
    const session = this.current ?? (await this.authenticate());
    try {
      return await fn(session);
    } catch (err) {
      if (err instanceof UpstreamError && err.isAuthFailure) {
        this.logger.warn({ path: err.path, status: err.status }, 'upstream refused the token');
        return fn(await this.authenticate());
      }
      throw err;
    }
  }

  private async call(path: string, options: CallOptions): Promise<unknown> {
    const base =
      options.base === 'metric'
        ? this.config.upstream.metricService
        : this.config.upstream.clientService;
    const query = options.query ? `?${new URLSearchParams(options.query).toString()}` : '';
    const started = performance.now();
    const response = await send(path, `${base}${path}${query}`, {
      method: options.method ?? 'GET',
      dispatcher: this.dispatcher,
      signal: options.signal,
      headers: {
        ...(options.body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...options.headers,
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    if (options.metric) {
      this.metrics?.record(options.metric, response.status, (performance.now() - started) / 1000);
    }
    return readAnswer(path, response, options.expectJson ?? true);
  }
}
