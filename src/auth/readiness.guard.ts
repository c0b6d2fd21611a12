import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { SealedStateReports } from '../cache/sealed/sealed-state-reports.service.js';
import { NotReadyError } from '../common/errors/proxy-error.js';
import { ProxyStatus } from '../status/proxy-status.service.js';
import { RouteMarkings } from './route-markings.js';

/**
 * The readiness gate, before any token is looked at: until config is in place SDK routes answer
 * 503 (retry later), never 401 (which SDKs take as a wrong key for good). So do they while this
 * instance cannot follow the SDK-token secrets the others use: tokens it would sign or refuse
 * would disagree with theirs.
 */
@Injectable()
export class ReadinessGuard implements CanActivate {
  constructor(
    private readonly markings: RouteMarkings,
    private readonly status: ProxyStatus,
    private readonly sealed: SealedStateReports,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (!this.markings.of(context).alwaysOn) {
      this.assertReady();
    }
    return true;
  }

  /** Throws the 503 an SDK route answers while this instance cannot serve it yet. */
  assertReady(): void {
    if (!this.status.ready) {
      throw new NotReadyError(this.status.waitingFor);
    }
    const conflict = this.sealed.conflictOf('auth-secrets');
    if (conflict !== undefined) {
      throw new NotReadyError(`the SDK-token secrets cannot be followed: ${conflict}`);
    }
  }
}
