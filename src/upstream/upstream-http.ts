import type { Response } from 'undici';
import { PROXY_VERSION } from '../common/version.js';
import { UpstreamError } from './upstream-error.js';
import type { UpstreamSession } from './upstream-session.js';

/** The body of a usable upstream answer: status 200 and, where one is expected, JSON. */
export async function readAnswer(
  path: string,
  response: Response,
  expectJson: boolean,
): Promise<unknown> {
  const text = await response.text();
  if (response.status !== 200) {
    throw new UpstreamError(path, response.status, `status ${response.status}`);
  }
  if (!expectJson) {
    return undefined;
  }
  // Like the Go client: a 200 without a JSON content type is not a usable answer.
  if (!(response.headers.get('content-type') ?? '').includes('json')) {
    throw new UpstreamError(path, 200, 'answer is not JSON');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new UpstreamError(path, 200, 'answer is not valid JSON');
  }
}

export function bearer(session: UpstreamSession): Record<string, string> {
  return { Authorization: `Bearer ${session.token}` };
}

export function harnessHeaders(session: UpstreamSession, env: string): Record<string, string> {
  return {
    ...bearer(session),
    'Harness-AccountID': session.account,
    'Harness-EnvironmentID': env,
    'Harness-SDK-Info': `Proxy ${PROXY_VERSION}`,
  };
}

/** undici reports "fetch failed"; the useful part (ECONNREFUSED, a timeout…) is the cause. */
export function networkDetail(err: unknown): string {
  const error = err as Error & { cause?: { code?: string; message?: string } };
  const cause = error.cause?.code ?? error.cause?.message;
  return cause ? `${error.message} (${cause})` : error.message;
}
