import type { EmulatorSeed } from './environment-store.js';

export interface UpstreamEmulatorOptions {
  seed?: EmulatorSeed;
  /** Where the client service lives (`CLIENT_SERVICE`); default `/api/1.0`. */
  basePath?: string;
  /**
   * Where `/metrics` lives (`METRIC_SERVICE`); default `/events/api/1.0`. SaaS serves metrics
   * from another host, so a different path catches a proxy posting them to the client service.
   */
  metricsBasePath?: string;
  /** Where the Harness admin API lives; default `/gateway/cf` as on app.harness.io. */
  adminBasePath?: string;
  /** Raw key of the seeded proxy key; a UUID is generated when absent. */
  proxyKey?: string;
  /** Identifier of the seeded proxy key (admin API path parameter); default `relay-proxy`. */
  proxyKeyIdentifier?: string;
  account?: string;
  organization?: string;
  /** `cluster_identifier` claim; default `"1"`, as the proxy assumes when it is absent. */
  cluster?: string;
  /** SSE heartbeat period; default 10 s, under the 30 s after which SDKs give a stream up. */
  heartbeatMs?: number;
  /** Send a heartbeat as soon as a stream opens; default true. */
  heartbeatOnConnect?: boolean;
  /** Force this page size on `/proxy/config`, whatever the request asks for (to test paging). */
  pageSize?: number;
  /** Lifetime of issued tokens (adds `exp`); default: they never expire. */
  tokenTtlMs?: number;
  jwtSecret?: string;
  /** Value the admin API expects in `x-api-key`; default `pat.emulator.admin`. */
  adminApiKey?: string;
  /** Fastify request logging; default off. */
  logger?: boolean;
}

export interface EmulatorSettings {
  basePath: string;
  metricsBasePath: string;
  adminBasePath: string;
  proxyKeyIdentifier: string;
  account: string;
  organization: string;
  cluster: string;
  heartbeatMs: number;
  heartbeatOnConnect: boolean;
  pageSize: number | undefined;
  tokenTtlMs: number | undefined;
  jwtSecret: string;
  adminApiKey: string;
  logger: boolean;
}

/** `/api/1.0/` and `api/1.0` both become `/api/1.0`; `/` becomes the empty prefix. */
export function normaliseBasePath(path: string): string {
  const trimmed = path.replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? '' : `/${trimmed}`;
}

export function resolveOptions(options: UpstreamEmulatorOptions): EmulatorSettings {
  return {
    basePath: normaliseBasePath(options.basePath ?? '/api/1.0'),
    metricsBasePath: normaliseBasePath(options.metricsBasePath ?? '/events/api/1.0'),
    adminBasePath: normaliseBasePath(options.adminBasePath ?? '/gateway/cf'),
    proxyKeyIdentifier: options.proxyKeyIdentifier ?? 'relay-proxy',
    // Shapes copied from the sample SaaS token in docs/upstream.md
    account: options.account ?? 'emuAccountR3zFlRxCBKSDo',
    organization: options.organization ?? 'c453a7fb-c8a1-422c-ac07-8e40385a97f4',
    cluster: options.cluster ?? '1',
    heartbeatMs: options.heartbeatMs ?? 10_000,
    heartbeatOnConnect: options.heartbeatOnConnect ?? true,
    pageSize: options.pageSize,
    tokenTtlMs: options.tokenTtlMs,
    jwtSecret: options.jwtSecret ?? 'upstream-emulator-secret',
    adminApiKey: options.adminApiKey ?? 'pat.emulator.admin',
    logger: options.logger ?? false,
  };
}
