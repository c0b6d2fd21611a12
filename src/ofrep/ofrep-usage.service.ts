import { type BeforeApplicationShutdown, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Target } from '../model/target.js';
import type { MetricsEntry, TargetEntry } from '../sdk-metrics/sdk-metrics-batch.js';
import { SdkMetricsService } from '../sdk-metrics/sdk-metrics.service.js';
import { isFailure, type OfrepAnswer } from './ofrep-answers.js';

/** OFREP clients send no metrics, so the relay counts for them and hands counts on this often. */
export const USAGE_FLUSH_MS = 5_000;
/** Targets passed on per environment and flush (Harness SDKs send each target seen once). */
const MAX_TARGETS = 1_000;
/** Harness' name for "every target" in aggregated evaluation metrics. */
const GLOBAL_TARGET = '__global__cf_target';

interface Counted {
  flag: string;
  variant: string;
  sdkType: 'server' | 'client';
  count: number;
}

interface Pending {
  evaluations: Map<string, Counted>;
  targets: Map<string, TargetEntry>;
}

/**
 * Counts OFREP evaluations as Harness SDKs count theirs (per flag, variation and SDK) and passes
 * them, with the targets seen, to the same SDK-metrics intake `POST /metrics` feeds: a primary
 * forwards them upstream, a replica through Redis to its primary. A bulk answer counts each flag
 * it served once: an OFREP web client evaluates from that answer without telling the relay.
 */
@Injectable()
export class OfrepUsage implements OnModuleInit, BeforeApplicationShutdown {
  private readonly pending = new Map<string, Pending>();
  private timer?: NodeJS.Timeout;

  constructor(private readonly metrics: SdkMetricsService) {}

  onModuleInit(): void {
    this.timer = setInterval(() => this.flush(), USAGE_FLUSH_MS);
    this.timer.unref();
  }

  beforeApplicationShutdown(): void {
    clearInterval(this.timer);
    this.flush();
  }

  count(env: string, answers: readonly OfrepAnswer[], target: Target | null, bulk: boolean): void {
    const pending = this.pendingOf(env);
    const sdkType = bulk ? 'client' : 'server';
    for (const answer of answers) {
      if (isFailure(answer)) {
        continue;
      }
      const key = `${answer.key}\n${answer.variant}\n${sdkType}`;
      const counted = pending.evaluations.get(key);
      if (counted) {
        counted.count += 1;
      } else {
        pending.evaluations.set(key, {
          flag: answer.key,
          variant: answer.variant,
          sdkType,
          count: 1,
        });
      }
    }
    if (target && pending.targets.size < MAX_TARGETS && !pending.targets.has(target.identifier)) {
      pending.targets.set(target.identifier, targetEntry(target));
    }
  }

  /**
   * Hands what was counted to the SDK-metrics intake. What it cannot store yet (Redis away) is
   * counted again with the next flush, as an SDK posts its metrics again after a 503.
   */
  flush(now = Date.now()): void {
    const flushed = [...this.pending];
    this.pending.clear();
    for (const [env, counted] of flushed) {
      const metricsData = Array.from(counted.evaluations.values(), (c) => metricsEntry(c, now));
      const targetData = Array.from(counted.targets.values());
      Promise.resolve(this.metrics.accept(env, { metricsData, targetData })).catch(() =>
        this.restore(env, counted),
      );
    }
  }

  private restore(env: string, counted: Pending): void {
    const pending = this.pendingOf(env);
    for (const [key, entry] of counted.evaluations) {
      const current = pending.evaluations.get(key);
      pending.evaluations.set(key, { ...entry, count: entry.count + (current?.count ?? 0) });
    }
    for (const [id, target] of counted.targets) {
      if (pending.targets.size < MAX_TARGETS) {
        pending.targets.set(id, target);
      }
    }
  }

  private pendingOf(env: string): Pending {
    let pending = this.pending.get(env);
    if (!pending) {
      pending = { evaluations: new Map(), targets: new Map() };
      this.pending.set(env, pending);
    }
    return pending;
  }
}

function metricsEntry(counted: Counted, timestamp: number): MetricsEntry {
  return {
    timestamp,
    count: counted.count,
    metricsType: 'FFMETRICS',
    attributes: [
      { key: 'featureIdentifier', value: counted.flag },
      { key: 'featureName', value: counted.flag },
      { key: 'variationIdentifier', value: counted.variant },
      { key: 'target', value: GLOBAL_TARGET },
      { key: 'SDK_NAME', value: 'ofrep' },
      { key: 'SDK_TYPE', value: counted.sdkType },
      { key: 'SDK_LANGUAGE', value: 'openfeature' },
      { key: 'SDK_VERSION', value: '1' },
    ],
  };
}

function targetEntry(target: Target): TargetEntry {
  return {
    identifier: target.identifier,
    name: target.name ?? target.identifier,
    attributes: Object.entries(target.attributes ?? {}).map(([key, value]) => ({
      key,
      value: typeof value === 'string' ? value : JSON.stringify(value),
    })),
  };
}
