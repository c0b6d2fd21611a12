import { parseScrape } from '../../../test/support/prometheus-text.js';
import { memoryOf, openFds } from '../../lib/children.js';
import type { RelayProcess } from './relay-process.js';

/** One minute of a soak: what the process and its own Prometheus metrics say. */
export interface SoakSample {
  /** Minutes since the load started. */
  minute: number;
  rss: number;
  fds: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  /** Event-loop delay since the previous scrape (prom-client resets it at each one), seconds. */
  lagMean: number;
  lagP99: number;
  lagMax: number;
  /** SDK streams opened so far (the first ones, then every reconnection). */
  streamsOpened: number;
}

export interface Series {
  key: Exclude<keyof SoakSample, 'minute'>;
  label: string;
  unit: 'MiB' | 'ms' | '';
  /** Multiplies a raw value into `unit`. */
  scale: number;
}

export const SOAK_SERIES: readonly Series[] = [
  { key: 'rss', label: 'RSS', unit: 'MiB', scale: 1 / 1024 / 1024 },
  { key: 'heapUsed', label: 'V8 heap used', unit: 'MiB', scale: 1 / 1024 / 1024 },
  { key: 'heapTotal', label: 'V8 heap total', unit: 'MiB', scale: 1 / 1024 / 1024 },
  { key: 'external', label: 'external memory', unit: 'MiB', scale: 1 / 1024 / 1024 },
  { key: 'fds', label: 'open fds', unit: '', scale: 1 },
  { key: 'lagMean', label: 'event-loop delay, mean', unit: 'ms', scale: 1000 },
  { key: 'lagP99', label: 'event-loop delay, p99', unit: 'ms', scale: 1000 },
  { key: 'lagMax', label: 'event-loop delay, max', unit: 'ms', scale: 1000 },
];

/** Samples the relay now; undefined when it does not answer its scrape. */
export async function takeSample(
  relay: RelayProcess,
  startedAt: number,
): Promise<SoakSample | undefined> {
  const pid = relay.pid;
  const text = await relay.scrape().catch(() => undefined);
  if (pid === undefined || text === undefined) {
    return undefined;
  }
  const scrape = parseScrape(text);
  return {
    minute: (Date.now() - startedAt) / 60_000,
    rss: memoryOf(pid).rss,
    fds: openFds(pid),
    heapUsed: scrape.value('nodejs_heap_size_used_bytes'),
    heapTotal: scrape.value('nodejs_heap_size_total_bytes'),
    external: scrape.value('nodejs_external_memory_bytes'),
    lagMean: scrape.value('nodejs_eventloop_lag_mean_seconds'),
    lagP99: scrape.value('nodejs_eventloop_lag_p99_seconds'),
    lagMax: scrape.value('nodejs_eventloop_lag_max_seconds'),
    streamsOpened: scrape.value('ff_proxy_http_requests_total', { url: '/stream' }),
  };
}
