import type { LoadResult } from '../workers/load.js';

/** Row ids, in table order; the ratios are computed between them. */
export const HTTP_ROWS = {
  ceiling: 'Ceiling: bare Fastify, same bytes as feature-configs',
  featureConfigsMemory: 'feature-configs, offline, in-memory cache',
  ceilingGzip: 'Ceiling, gzip: bare Fastify, the same pre-compressed bytes',
  featureConfigsGzip: 'feature-configs, `Accept-Encoding: gzip`, offline, in-memory',
  ceilingSmall: 'Ceiling, small environment (5 flags): bare Fastify, same bytes',
  featureConfigsSmall: 'feature-configs, small environment (5 flags), offline, in-memory',
  featureConfigsPrimary: 'feature-configs, primary on Redis',
  featureConfigsReplica: 'feature-configs, replica on Redis',
  evaluations: 'evaluations, distinct targets, offline, in-memory',
  peer: 'Peer: @unleash/proxy 1.4.9 `/proxy/all`, distinct contexts',
  auth: 'POST /client/auth, offline, in-memory',
} as const;

export type HttpRowId = keyof typeof HTTP_ROWS;

export interface HttpRow {
  id: HttpRowId;
  result: LoadResult;
  /** Highest RSS of the server process seen during warm-up and measurement, bytes. */
  peakRss: number;
  /** Cores the server used while measured: the whole process, and its main (JavaScript) thread. */
  cores?: { process: number; mainThread: number };
  /**
   * Cores the load generator (autocannon, one process) used meanwhile: near 1, it was the limit
   * of the row rather than the server.
   */
  loadCores?: number;
  /**
   * req/s of the baseline measured next to this row in the same round, which its ratio uses:
   * the ceiling for feature-configs rows, the peer for evaluations.
   */
  baseline?: number;
  /** With several rounds: each round's ratio to its baseline (or req/s when it has none). */
  scores?: number[];
}

export interface HttpResults {
  rows: HttpRow[];
  /** Size of the feature-configs answer the ceiling also returns. */
  featureConfigsBytes: number;
  /** The same answer gzipped (what the relay sends when asked), and the small environment's. */
  featureConfigsGzipBytes?: number;
  smallFeatureConfigsBytes?: number;
  /** Every ceiling measurement (one before each feature-configs row, every round), req/s. */
  ceilingSamples: number[];
  rounds: number;
}

export interface SseResults {
  requested: number;
  held: number;
  /** Why fewer were held than requested, if they were. */
  limitNote?: string;
  clientProcesses: number;
  connectSeconds: number;
  received: number;
  missing: number;
  /** The first stream to get the event: the relay's own delay before the fan-out. */
  firstMs: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  rssBefore: number;
  rssHeld: number;
  peakRss: number;
  bytesPerConnection: number;
}

export interface ScaleRow {
  environments: number;
  flags: number;
  role: 'primary' | 'replica';
  /** From process start until the last environment's feature-configs had every flag. */
  readySeconds: number;
  /** CPU the relay used until then: what a loaded machine changes least. */
  cpuSeconds?: number;
  peakRss: number;
  /** With several rounds: each round's ready time (the row is the median round's). */
  readyRounds?: number[];
}

export interface BenchResults {
  http?: HttpResults;
  sse?: SseResults;
  scale?: ScaleRow[];
}
