import { PROBE_ROUTES, ROUTES, routeTemplateOf } from '../common/routes.js';

/** What the HTTP metrics hook records for one route, worked out once per route template. */
export interface RouteLabels {
  /** The `url` label: the route template with the Go parameter names, `""` when unmatched. */
  readonly url: string;
  /** The path parameter that fills the `envID` label, if the route has one. */
  readonly envParam: 'environment_uuid' | undefined;
  /** False for `/health` and the scrape route, which Harness does not count either. */
  readonly measured: boolean;
  /** `/stream` is timed until its headers are sent, not for the life of the stream. */
  readonly untilHeaders: boolean;
}

/** Raw paths Harness never measures, matched or not. */
const UNMEASURED_PATHS = new Set([`/${ROUTES.health}`, '/prometheus/metrics']);

/**
 * The labels of a request, from the Fastify route it matched (`routeUrl`, undefined for a 404)
 * and its path. Our routes use the Go parameter names already (`common/routes.ts`), so a matched
 * template is the label as it is; a wildcard route (the CORS preflight answers `OPTIONS *`) is
 * labelled with the SDK route its path names, as Echo labels a preflight with the matched route.
 */
export function routeLabels(routeUrl: string | undefined, path: string): RouteLabels {
  let url = routeUrl ?? '';
  if (url.includes('*')) {
    url = routeTemplateOf(path) ?? '';
  } else if (url.length > 1 && url.endsWith('/')) {
    url = url.slice(0, -1);
  }
  return {
    url,
    envParam: url.includes(':environment_uuid') ? 'environment_uuid' : undefined,
    measured: !PROBE_ROUTES.has(url) && !UNMEASURED_PATHS.has(path.split('?')[0] ?? ''),
    untilHeaders: url === `/${ROUTES.stream}`,
  };
}

/** Whether the labels of `routeUrl` hold for every request on it: not a 404's or a wildcard's. */
export function isFixedRoute(routeUrl: string | undefined): routeUrl is string {
  return routeUrl !== undefined && !routeUrl.includes('*');
}
