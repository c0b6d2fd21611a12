import { Injectable, Logger } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Gauge } from 'prom-client';
import { fingerprint } from '../../common/fingerprint.js';
import { METRIC_NAMES } from '../../metrics/metric-names.js';
import { ProxyStatus } from '../../status/proxy-status.service.js';
import { ProxyKey } from '../../upstream/proxy-key.js';
import { UpstreamError } from '../../upstream/upstream-error.js';

/** Upstream refusing the proxy key itself, not a token, a page or the network. */
export function isProxyKeyRefusal(err: unknown): err is UpstreamError {
  return err instanceof UpstreamError && err.path === '/proxy/auth' && err.isAuthFailure;
}

/**
 * Whether upstream still accepts the proxy key. Once it was deleted (`proxyKeyDeleted`) or
 * `/proxy/auth` refuses it, nothing will sync again until a person gives the relay a valid key,
 * so that is said once at error level, on `/health` and in a gauge; SDKs keep being served the
 * cached config, as the Go proxy does (it deletes nothing, and neither does this).
 */
@Injectable()
export class ProxyKeyHealth {
  private readonly logger = new Logger(ProxyKeyHealth.name);
  private refusedNow = false;

  constructor(
    private readonly proxyKey: ProxyKey,
    private readonly status: ProxyStatus,
    @InjectMetric(METRIC_NAMES.proxyKeyValid) private readonly valid: Gauge,
  ) {}

  get revoked(): boolean {
    return this.refusedNow;
  }

  /** A reload went through: upstream accepts the key (again). */
  accepted(): void {
    this.valid.set(1);
    if (this.refusedNow) {
      this.refusedNow = false;
      this.logger.log({ fingerprint: this.fingerprint() }, 'the proxy key is accepted again');
    }
  }

  /** The key was deleted upstream or refused at `/proxy/auth`; `cause` says which. */
  refused(cause: string): void {
    this.valid.set(0);
    this.status.setConfig('FAILED_TO_SYNC', 'PROXY_KEY_REVOKED');
    if (!this.refusedNow) {
      this.refusedNow = true;
      this.logger.error(
        { fingerprint: this.fingerprint(), cause },
        'the proxy key was deleted or is refused upstream: config can no longer sync; SDKs are ' +
          'served what the cache holds until the relay is given a valid PROXY_KEY ' +
          '(or one through PUT /admin/v1/proxy-key)',
      );
    }
  }

  private fingerprint(): string {
    return fingerprint(this.proxyKey.value);
  }
}
