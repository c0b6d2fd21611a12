import { allowedMethods } from './routes.js';

describe('allowedMethods', () => {
  it.each([
    ['/client/auth', ['POST']],
    ['/client/env/e1/feature-configs', ['GET']],
    ['/client/env/e1/feature-configs/dark-mode?cluster=1', ['GET']],
    ['/client/env/e1/target/u1/evaluations/f', ['GET']],
    ['/metrics/e1', ['POST']],
    ['/metrics', ['GET']],
    ['/livez', ['GET']],
    ['/ofrep/v1/evaluate/flags', ['POST']],
    ['/ofrep/v1/evaluate/flags/dark-mode', ['POST']],
    ['/ofrep/v1/events?t=x', ['GET']],
    ['/nowhere', []],
    ['/client/env/e1/feature-configs/a/b', []],
  ])('%s → %o', (url, methods) => {
    expect(allowedMethods(url)).toEqual(methods);
  });
});
