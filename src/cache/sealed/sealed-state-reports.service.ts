import { Injectable, Logger } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter, Gauge } from 'prom-client';
import { METRIC_NAMES } from '../../metrics/metric-names.js';
import type { Verdict } from './sealed-verdict.js';

export type SealedStateName = 'auth-secrets' | 'proxy-key';

const STATES: readonly SealedStateName[] = ['auth-secrets', 'proxy-key'];

/** Epochs for the log line: what the cache held and what this instance runs on. */
export interface Epochs {
  stored?: number;
  held?: number;
}

/**
 * What each sealed state's owner concluded from the cache, said once where an operator looks:
 * a warning and `ff_proxy_sealed_state_rollbacks_total` for a rolled-back value, a warning and
 * `ff_proxy_sealed_state_reseals_total` for one written back, an error and
 * `ff_proxy_sealed_state_conflict` while this instance cannot follow the others (health and SDK
 * routes then answer 503, see `conflictOf`).
 */
@Injectable()
export class SealedStateReports {
  private readonly logger = new Logger('SealedState');
  private readonly conflicts = new Map<SealedStateName, string>();
  private readonly notes = new Map<SealedStateName, string>();

  constructor(
    @InjectMetric(METRIC_NAMES.sealedStateRollbacks) private readonly rollbacks: Counter<'state'>,
    @InjectMetric(METRIC_NAMES.sealedStateReseals)
    private readonly reseals: Counter<'state' | 'reason'>,
    @InjectMetric(METRIC_NAMES.sealedStateConflict) private readonly conflictGauge: Gauge<'state'>,
  ) {
    for (const state of STATES) {
      rollbacks.inc({ state }, 0);
      conflictGauge.set({ state }, 0);
    }
  }

  /** Why this instance must not serve now, if any sealed state conflicts. */
  get conflict(): string | undefined {
    return this.conflicts.values().next().value;
  }

  conflictOf(state: SealedStateName): string | undefined {
    return this.conflicts.get(state);
  }

  record(state: SealedStateName, verdict: Verdict, epochs: Epochs): void {
    const rolledBack =
      verdict.action === 'reseal'
        ? verdict.reason === 'rolled back'
        : (verdict.action === 'conflict' || verdict.action === 'fallback') && verdict.rolledBack;
    if (rolledBack) {
      this.rollbacks.inc({ state });
      this.logger.warn(
        { state, ...epochs },
        'sealed state in the cache is older than one already seen (restored by a redis writer?): not used',
      );
    }
    if (verdict.action === 'reseal') {
      this.reseals.inc({ state, reason: verdict.reason });
      this.logger.warn(
        { state, reason: verdict.reason, ...epochs },
        'sealed state in the cache was missing, unreadable or older: written back from memory',
      );
    }
    if ('note' in verdict && verdict.note !== undefined) {
      this.noteOnce(state, verdict.note, epochs);
    }
    this.setConflict(state, verdict.action === 'conflict' ? verdict.reason : undefined);
  }

  private noteOnce(state: SealedStateName, note: string, epochs: Epochs): void {
    if (this.notes.get(state) !== note) {
      this.notes.set(state, note);
      this.logger.warn({ state, ...epochs }, `sealed state: ${note}`);
    }
  }

  private setConflict(state: SealedStateName, reason: string | undefined): void {
    const before = this.conflicts.get(state);
    if (reason === before) {
      return;
    }
    if (reason === undefined) {
      this.conflicts.delete(state);
      this.conflictGauge.set({ state }, 0);
      this.logger.log({ state }, 'sealed state conflict resolved: serving again');
      return;
    }
    this.conflicts.set(state, reason);
    this.conflictGauge.set({ state }, 1);
    this.logger.error(
      { state, reason },
      'this instance cannot follow the sealed state the other instances run on: not serving SDKs until it can (see docs/sealed-state.md)',
    );
  }
}
