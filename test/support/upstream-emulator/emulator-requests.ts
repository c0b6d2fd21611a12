import { SseClient } from '../sse-client.js';
import { isRecord } from './json-guards.js';
import type { UpstreamEmulator } from './upstream-emulator.js';

/** Calls the emulator the way the proxy does, for tests of the emulator and of fakes around it. */

export async function proxyAuth(
  emulator: UpstreamEmulator,
  proxyKey = emulator.proxyKey,
): Promise<Response> {
  return fetch(`${emulator.url}/proxy/auth`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ proxyKey }),
  });
}

/** The `authToken` of a successful `/proxy/auth`; throws on any other answer. */
export async function proxyToken(
  emulator: UpstreamEmulator,
  proxyKey = emulator.proxyKey,
): Promise<string> {
  const response = await proxyAuth(emulator, proxyKey);
  if (response.status !== 200) {
    throw new Error(`/proxy/auth answered ${response.status}`);
  }
  const body: unknown = await response.json();
  if (!isRecord(body) || typeof body.authToken !== 'string') {
    throw new Error('/proxy/auth answered without an authToken');
  }
  return body.authToken;
}

export async function proxyConfig(
  emulator: UpstreamEmulator,
  token: string,
  query: Record<string, string> = {},
): Promise<Response> {
  const params = new URLSearchParams({
    cluster: '1',
    key: emulator.proxyKey,
    pageNumber: '0',
    pageSize: '10',
    ...query,
  });
  return fetch(`${emulator.url}/proxy/config?${params}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
}

/** Opens `/stream` with the headers the proxy sends (docs/upstream.md). */
export function accountStream(
  emulator: UpstreamEmulator,
  token: string,
  apiKey = emulator.proxyKey,
): Promise<SseClient> {
  return SseClient.connect(`${emulator.url}/stream?cluster=1&stream=%2A`, {
    headers: {
      Authorization: `Bearer ${token}`,
      'API-Key': apiKey,
      'Cache-Control': 'no-cache',
      'Harness-AccountID': emulator.account,
      'Harness-SDK-Info': 'Proxy test',
    },
  });
}
