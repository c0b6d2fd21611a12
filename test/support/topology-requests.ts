import type { MetricsEntry } from '../../src/sdk-metrics/sdk-metrics-batch.js';
import { STREAM_PREFIXES } from '../../src/metrics/metric-names.js';
import { parseScrape } from './prometheus-text.js';
import type { Instance, Topology } from './topology.js';

export interface SdkTarget {
  identifier: string;
  name: string;
}

/** `POST /client/auth` as an SDK sends it, with its target. */
export async function authToken(
  instance: Instance,
  apiKey: string,
  target: SdkTarget,
): Promise<string> {
  const response = await fetch(`${instance.url}/client/auth`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ apiKey, target }),
  });
  return ((await response.json()) as { authToken: string }).authToken;
}

/** One metrics entry as the Node SDK sends it: `count` evaluations of dark-mode by `target`. */
export function metricsEntry(count: number, target: SdkTarget): MetricsEntry {
  return {
    timestamp: Date.now(),
    count,
    metricsType: 'FFMETRICS',
    attributes: [
      { key: 'featureIdentifier', value: 'dark-mode' },
      { key: 'variationIdentifier', value: 'false' },
      { key: 'target', value: target.identifier },
      { key: 'SDK_TYPE', value: 'server' },
      { key: 'SDK_LANGUAGE', value: 'node' },
      { key: 'SDK_VERSION', value: '1.8.12' },
    ],
  };
}

/** `POST /metrics/{env}` with a token: the answer's status, error code and `Retry-After`. */
export async function postMetricsWith(
  instance: Instance,
  top: Topology,
  token: string,
  count: number,
  target: SdkTarget,
): Promise<{ status: number; code?: string; retryAfter: string | null }> {
  const response = await fetch(`${instance.url}/metrics/${top.env}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ metricsData: [metricsEntry(count, target)] }),
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await response.json()) as { code?: string } | null;
  return {
    status: response.status,
    ...(body?.code ? { code: body.code } : {}),
    retryAfter: response.headers.get('retry-after'),
  };
}

/** `POST /metrics/{env}` as an SDK sends it (after its auth): the answer's status. */
export async function postMetrics(
  instance: Instance,
  top: Topology,
  count: number,
  target: SdkTarget,
): Promise<number> {
  const token = await authToken(instance, top.sdkKey, target);
  return (await postMetricsWith(instance, top, token, count, target)).status;
}

/** Evaluations of dark-mode the upstream metrics service has received, summed. */
export function forwardedCount(top: Topology): number {
  return top.upstream
    .requests({ route: `/metrics/${top.env}` })
    .flatMap((r) => (r.body as { metricsData?: MetricsEntry[] }).metricsData ?? [])
    .reduce((sum, entry) => sum + entry.count, 0);
}

/** How many `stream:sdk_metrics` messages the primary has handed to its forwarder. */
export async function metricsMessagesRead(primary: Instance): Promise<number> {
  const scrape = parseScrape(await (await fetch(`${primary.url}/metrics`)).text());
  return scrape.value(`${STREAM_PREFIXES.primaryMetricsConsumer}_messages_received`, {
    error: 'false',
  });
}
