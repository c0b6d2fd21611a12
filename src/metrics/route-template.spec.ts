import { isFixedRoute, routeLabels } from './route-template.js';

describe('routeLabels', () => {
  it('keeps a matched template as it is: our parameters carry the Go names', () => {
    expect(
      routeLabels('/client/env/:environment_uuid/target/:target/evaluations/:feature', '/x'),
    ).toEqual({
      url: '/client/env/:environment_uuid/target/:target/evaluations/:feature',
      envParam: 'environment_uuid',
      measured: true,
      untilHeaders: false,
    });
    expect(routeLabels('/client/auth', '/client/auth').envParam).toBeUndefined();
  });

  it('labels an unmatched request with an empty url', () => {
    expect(routeLabels(undefined, '/nowhere?x=1')).toMatchObject({ url: '', measured: true });
  });

  it('labels a wildcard (CORS preflight) route with the SDK route its path names', () => {
    const env = 'de6864df-2f42-4e2c-8dff-586bf63e4d2e';
    expect(
      routeLabels('*', `/client/env/${env}/feature-configs/dark-mode?cluster=1`),
    ).toMatchObject({
      url: '/client/env/:environment_uuid/feature-configs/:identifier',
      envParam: 'environment_uuid',
    });
    expect(routeLabels('/*', '/somewhere/else').url).toBe('');
  });

  it('leaves /health, the scrape route and /prometheus/metrics unmeasured', () => {
    expect(routeLabels('/health', '/health').measured).toBe(false);
    expect(routeLabels('/metrics', '/metrics').measured).toBe(false);
    expect(routeLabels(undefined, '/prometheus/metrics').measured).toBe(false);
    expect(routeLabels('/metrics/:environment_uuid', '/metrics/abc').measured).toBe(true);
  });

  it('times /stream until its headers, and drops a trailing slash', () => {
    expect(routeLabels('/stream', '/stream?cluster=1').untilHeaders).toBe(true);
    expect(routeLabels('/client/auth/', '/client/auth/').url).toBe('/client/auth');
  });
});

describe('isFixedRoute', () => {
  it('is false for 404s and wildcards, whose labels depend on the path', () => {
    expect(isFixedRoute('/client/auth')).toBe(true);
    expect(isFixedRoute(undefined)).toBe(false);
    expect(isFixedRoute('*')).toBe(false);
  });
});
