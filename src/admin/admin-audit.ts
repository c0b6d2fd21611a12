import { Injectable, Logger } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';
import { METRIC_NAMES } from '../metrics/metric-names.js';

/** Who asked, for the audit line. */
export interface AdminCaller {
  address: string;
}

/**
 * The audit trail of the Admin API: one structured log line per call (action, outcome,
 * fingerprints, caller address; never a secret) and `ff_relay_admin_actions_total`.
 */
@Injectable()
export class AdminAudit {
  private readonly logger = new Logger('AdminAudit');

  constructor(
    @InjectMetric(METRIC_NAMES.adminActions)
    private readonly actions: Counter<'action' | 'outcome'>,
  ) {}

  record(action: string, outcome: string, caller: AdminCaller, details: object = {}): void {
    this.actions.inc({ action, outcome });
    this.logger.log({ action, outcome, client: caller.address, ...details }, 'admin action');
  }
}
