import type { UpstreamEmulator } from '../../../test/support/upstream-emulator/upstream-emulator.js';

export const METRICS_FEATURE = 'chaos-metric';

export interface MetricsLedger {
  /** Batches the relay took (2xx), and the evaluations they counted. */
  batches: number;
  posted: number;
  /** Evaluations the upstream received, of the batches posted. */
  received: number;
  /** Batches that reached the upstream with fewer evaluations than posted (or none). */
  lostBatches: number;
  lost: number;
  /** Evaluations received more than once (the primary forwards at least once). */
  duplicated: number;
  /** Lost batches by the faults under way when the relay took them. */
  lostDuring: Record<string, number>;
  /** Posts answered 503 (not stored) and posted again, as the Node SDK does. */
  retried?: number;
  /** The first lost batches and when the relay took them (ISO time), to match with its logs. */
  lostExamples: string[];
}

/** Batch by batch: what was posted (with the faults under way then) against what arrived. */
export function ledgerOf(
  posted: ReadonlyMap<string, { count: number; phase: string; at?: number }>,
  received: ReadonlyMap<string, number>,
): MetricsLedger {
  const ledger: MetricsLedger = {
    batches: posted.size,
    posted: 0,
    received: 0,
    lostBatches: 0,
    lost: 0,
    duplicated: 0,
    lostDuring: {},
    lostExamples: [],
  };
  for (const [batch, { count, phase, at }] of posted) {
    const got = received.get(batch) ?? 0;
    ledger.posted += count;
    ledger.received += Math.min(got, count);
    ledger.duplicated += Math.max(0, got - count);
    if (got < count) {
      ledger.lostBatches += 1;
      ledger.lost += count - got;
      ledger.lostDuring[phase] = (ledger.lostDuring[phase] ?? 0) + 1;
      if (ledger.lostExamples.length < 12) {
        ledger.lostExamples.push(`${batch} ${at === undefined ? '' : new Date(at).toISOString()}`);
      }
    }
  }
  return ledger;
}

/** Evaluations per batch in every metrics POST the upstream has received. */
export function receivedCounts(upstream: UpstreamEmulator): Map<string, number> {
  const counts = new Map<string, number>();
  for (const request of upstream.requests({ method: 'POST', route: /^\/metrics\// })) {
    if (request.status === undefined || request.status >= 300) {
      continue;
    }
    const entries = (request.body as { metricsData?: unknown } | undefined)?.metricsData;
    for (const entry of Array.isArray(entries) ? entries : []) {
      const { count, attributes } = entry as {
        count?: number;
        attributes?: { key: string; value: string }[];
      };
      const value = (key: string) => attributes?.find((a) => a.key === key)?.value;
      const batch = value('variationIdentifier');
      if (value('featureIdentifier') === METRICS_FEATURE && batch && typeof count === 'number') {
        counts.set(batch, (counts.get(batch) ?? 0) + count);
      }
    }
  }
  return counts;
}
