import { type Dispatcher, request } from 'undici';
import { PROXY_VERSION } from '../common/version.js';
import { UpstreamError } from './upstream-error.js';
import type { UpstreamSession } from './upstream-session.js';

export interface UpstreamRequest {
  method: 'GET' | 'POST' | 'PATCH';
  dispatcher: Dispatcher;
  signal?: AbortSignal;
  headers: Record<string, string>;
  body?: string;
}

export interface UpstreamAnswer {
  status: number;
  contentType: string;
  text(): Promise<string>;
}

/**
 * One HTTP call to Harness with undici's `request`, not `fetch`: fetch converts every header
 * through WebIDL character by character, and the proxy token lists every environment the key
 * covers (~190 kB for 5,000 environments), which made header conversion most of a full load.
 */
export async function send(
  path: string,
  url: string,
  init: UpstreamRequest,
): Promise<UpstreamAnswer> {
  let response: Dispatcher.ResponseData;
  try {
    response = await request(url, init);
  } catch (err) {
    // No answer at all (refused, reset, timed out): the client-service request metrics count
    // only calls that got an HTTP answer (docs/prometheus-metrics.md).
    throw new UpstreamError(path, 0, networkDetail(err));
  }
  const contentType = response.headers['content-type'];
  return {
    status: response.statusCode,
    contentType: (Array.isArray(contentType) ? contentType[0] : contentType) ?? '',
    // A connection cut while the body arrives is a network failure like any other.
    text: () =>
      response.body.text().catch((err: unknown) => {
        throw new UpstreamError(path, 0, networkDetail(err));
      }),
  };
}

/** The body of a usable upstream answer: status 200 and, where one is expected, JSON. */
export async function readAnswer(
  path: string,
  response: UpstreamAnswer,
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
  if (!response.contentType.includes('json')) {
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

/**
 * The error's message, with the code or message of its cause when it wraps one: the stream's
 * `fetch` says only "fetch failed" and keeps the useful part (ECONNREFUSED…) in the cause;
 * undici's `request` names the code in the message itself.
 */
export function networkDetail(err: unknown): string {
  const error = err as Error & { cause?: { code?: string; message?: string } };
  const cause = error.cause?.code ?? error.cause?.message;
  return cause ? `${error.message} (${cause})` : error.message;
}
