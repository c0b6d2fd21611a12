import { Injectable } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter, Histogram } from 'prom-client';
import { METRIC_NAMES } from './metric-names.js';

export type CacheOperation = 'write' | 'read' | 'delete' | 'scan';

interface Instruments {
  duration: Histogram;
  count: Counter<'error'>;
}

/**
 * `ff_proxy_redis_cache_{write,read,delete,scan}_duration` and `…_{write,read,remove,scan}_count`
 * (docs/prometheus-metrics.md). `error` is "true" for any failure; a key not found is a
 * success ("false"), as in Harness.
 */
@Injectable()
export class CacheMetrics {
  private readonly operations: Record<CacheOperation, Instruments>;

  constructor(
    @InjectMetric(METRIC_NAMES.cacheWriteDuration) writeDuration: Histogram,
    @InjectMetric(METRIC_NAMES.cacheWriteCount) writeCount: Counter<'error'>,
    @InjectMetric(METRIC_NAMES.cacheReadDuration) readDuration: Histogram,
    @InjectMetric(METRIC_NAMES.cacheReadCount) readCount: Counter<'error'>,
    @InjectMetric(METRIC_NAMES.cacheDeleteDuration) deleteDuration: Histogram,
    @InjectMetric(METRIC_NAMES.cacheRemoveCount) removeCount: Counter<'error'>,
    @InjectMetric(METRIC_NAMES.cacheScanDuration) scanDuration: Histogram,
    @InjectMetric(METRIC_NAMES.cacheScanCount) scanCount: Counter<'error'>,
  ) {
    this.operations = {
      write: { duration: writeDuration, count: writeCount },
      read: { duration: readDuration, count: readCount },
      delete: { duration: deleteDuration, count: removeCount },
      scan: { duration: scanDuration, count: scanCount },
    };
  }

  /** Runs one cache operation, timing it and counting whether it failed. */
  async time<T>(operation: CacheOperation, run: () => Promise<T>): Promise<T> {
    const { duration, count } = this.operations[operation];
    const started = performance.now();
    try {
      const result = await run();
      count.inc({ error: 'false' });
      return result;
    } catch (err) {
      count.inc({ error: 'true' });
      throw err;
    } finally {
      duration.observe((performance.now() - started) / 1000);
    }
  }
}

/**
 * The memoize counters (docs/prometheus-metrics.md). Our memo is the decoded-value memory SDK reads
 * are served from: a read that finds its value decoded is a hit, one that must decode it a miss;
 * every value serialised for a write is a write_marshal. `hit_with_unmarshal` cannot happen and
 * stays 0.
 */
@Injectable()
export class MemoizeMetrics {
  constructor(
    @InjectMetric(METRIC_NAMES.memoizeHit) private readonly hits: Counter,
    @InjectMetric(METRIC_NAMES.memoizeMiss) private readonly misses: Counter,
    @InjectMetric(METRIC_NAMES.memoizeWriteMarshal) private readonly marshals: Counter,
  ) {}

  read(decoded: boolean): void {
    (decoded ? this.hits : this.misses).inc();
  }

  wrote(values: number): void {
    if (values > 0) {
      this.marshals.inc(values);
    }
  }
}
