/**
 * Every public path of the Harness SDK contract (docs/sdk-api.md), in one place. Controllers use
 * these constants, so the whole wire contract can be read here. Parameter names follow the Go
 * proxy, because Prometheus `url` labels carry the route template verbatim.
 */
export const ROUTES = {
  auth: 'client/auth',
  featureConfigs: 'client/env/:environment_uuid/feature-configs',
  featureConfig: 'client/env/:environment_uuid/feature-configs/:identifier',
  targetSegments: 'client/env/:environment_uuid/target-segments',
  targetSegment: 'client/env/:environment_uuid/target-segments/:identifier',
  evaluations: 'client/env/:environment_uuid/target/:target/evaluations',
  evaluation: 'client/env/:environment_uuid/target/:target/evaluations/:feature',
  stream: 'stream',
  sdkMetrics: 'metrics/:environment_uuid',
  health: 'health',
  /** Ours: liveness, answered by the event loop alone (no Redis, no upstream). */
  livez: 'livez',
  prometheus: 'metrics',
} as const;

/** Health probes and the scrape: neither counted as SDK traffic
 * (docs/prometheus-metrics.md) nor access-logged. */
export const PROBE_ROUTES: ReadonlySet<string> = new Set([
  `/${ROUTES.health}`,
  `/${ROUTES.livez}`,
  `/${ROUTES.prometheus}`,
]);

/** The Admin API (ours, not part of the Harness contract); mounted only with ADMIN_API_TOKEN. */
export const ADMIN_ROUTES = {
  keys: 'admin/v1/keys',
  rotateAuthSecret: 'admin/v1/auth-secret/rotate',
  rotateProxyKey: 'admin/v1/proxy-key/rotate',
  proxyKey: 'admin/v1/proxy-key',
  sdkKeys: 'admin/v1/environments/:environment/sdk-keys',
  sdkKey: 'admin/v1/environments/:environment/sdk-keys/:fingerprint',
} as const;

/** Where every Admin API route lives (audited, no CORS). */
export const ADMIN_PREFIX = '/admin';

/** SaaS serves the same routes under this prefix; misconfigured SDK base URLs still work. */
export const SAAS_PREFIX = '/api/1.0';

/** The one method each SDK route answers; another method on a known path is a 405. */
export const ROUTE_METHODS: Record<keyof typeof ROUTES, 'GET' | 'POST'> = {
  auth: 'POST',
  featureConfigs: 'GET',
  featureConfig: 'GET',
  targetSegments: 'GET',
  targetSegment: 'GET',
  evaluations: 'GET',
  evaluation: 'GET',
  stream: 'GET',
  sdkMetrics: 'POST',
  health: 'GET',
  livez: 'GET',
  prometheus: 'GET',
};

const MATCHERS = (Object.keys(ROUTES) as (keyof typeof ROUTES)[]).map((name) => ({
  pattern: new RegExp(`^/${ROUTES[name].replace(/:[a-z_]+/g, '[^/]+')}/?$`),
  method: ROUTE_METHODS[name],
  template: `/${ROUTES[name]}`,
}));

/** The methods a known path answers (empty for an unknown path). */
export function allowedMethods(url: string): string[] {
  const path = url.split('?')[0] ?? '';
  const methods = MATCHERS.filter((m) => m.pattern.test(path)).map((m) => m.method);
  return [...new Set(methods)];
}

/** The SDK route template (`/client/env/:environment_uuid/feature-configs`) a path matches. */
export function routeTemplateOf(url: string): string | undefined {
  const path = url.split('?')[0] ?? '';
  return MATCHERS.find((m) => m.pattern.test(path))?.template;
}
