/** An upstream call that did not give a usable answer; `status` is 0 for network errors. */
export class UpstreamError extends Error {
  override readonly name = 'UpstreamError';

  constructor(
    readonly path: string,
    readonly status: number,
    detail: string,
  ) {
    super(`upstream ${path} failed: ${detail}`);
  }

  /** Harness answers 401/403 when the proxy token expired or lost access: re-authenticate. */
  get isAuthFailure(): boolean {
    return this.status === 401 || this.status === 403;
  }
}
