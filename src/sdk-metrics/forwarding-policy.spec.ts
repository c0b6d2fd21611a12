import { UpstreamError } from '../upstream/upstream-error.js';
import { flushInterval, MAX_ATTEMPTS, retryDecision } from './forwarding-policy.js';

describe(flushInterval.name, () => {
  it.each([0, -1, Number.NaN])('disables forwarding for %s', (seconds) => {
    expect(flushInterval(seconds)).toBeUndefined();
  });

  it.each([1, 30, 59])('raises %s s to the 60 s minimum', (seconds) => {
    expect(flushInterval(seconds)).toEqual({ seconds: 60, raised: true });
  });

  it.each([60, 300])('keeps %s s', (seconds) => {
    expect(flushInterval(seconds)).toEqual({ seconds, raised: false });
  });
});

describe(retryDecision.name, () => {
  const failed = (status: number) => new UpstreamError('/metrics/env', status, `status ${status}`);

  it.each([0, 401, 403, 408, 429, 500, 502, 503])('retries after status %s', (status) => {
    expect(retryDecision(failed(status), 1)).toBe('retry');
  });

  it('retries errors that are not upstream answers', () => {
    expect(retryDecision(new Error('boom'), 1)).toBe('retry');
  });

  it.each([400, 404, 413, 422])('gives up at once on status %s', (status) => {
    expect(retryDecision(failed(status), 1)).toBe('rejected');
  });

  it(`gives up after ${MAX_ATTEMPTS} failed attempts`, () => {
    expect(retryDecision(failed(503), MAX_ATTEMPTS - 1)).toBe('retry');
    expect(retryDecision(failed(503), MAX_ATTEMPTS)).toBe('too-many-attempts');
  });
});
