import { Injectable, Logger } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';
import { SigningKeys } from '../auth/signing-keys.service.js';
import { MemoryMirror } from '../cache/memory-mirror.js';
import { ChangeNotStoredError } from '../common/errors/proxy-error.js';
import { fingerprint } from '../common/fingerprint.js';
import { AppConfig } from '../config/app-config.js';
import { parseGoDuration } from '../config/go-duration.js';
import { METRIC_NAMES } from '../metrics/metric-names.js';
import { AuthSecretRotatedDto, KeysResponseDto } from './dto/keys-response.dto.js';

/** Who asked, for the audit line. */
export interface AdminCaller {
  address: string;
}

/**
 * The Admin API's decisions. Every call is audited: one structured log line (action, outcome,
 * fingerprints, caller address) and `ff_relay_admin_actions_total{action,outcome}`.
 */
@Injectable()
export class AdminService {
  private readonly logger = new Logger('AdminAudit');

  constructor(
    private readonly config: AppConfig,
    private readonly keys: SigningKeys,
    private readonly mirror: MemoryMirror,
    @InjectMetric(METRIC_NAMES.adminActions)
    private readonly actions: Counter<'action' | 'outcome'>,
  ) {}

  listKeys(caller: AdminCaller): KeysResponseDto {
    const proxyKey = this.config.upstream.proxyKey;
    const environments = this.mirror
      .servedEnvironments()
      .map((env) => ({ id: env.id, sdkKeys: env.apiKeys.map((hash) => hash.slice(0, 12)).sort() }))
      .sort((a, b) => a.id.localeCompare(b.id));
    this.audit('list-keys', 'ok', caller);
    return new KeysResponseDto(
      proxyKey ? { fingerprint: fingerprint(proxyKey) } : null,
      this.keys.view(),
      environments,
    );
  }

  async rotateAuthSecret(gracePeriod: string, caller: AdminCaller): Promise<AuthSecretRotatedDto> {
    const graceMs = parseGoDuration(gracePeriod) ?? 0;
    const before = this.keys.view().fingerprint;
    try {
      const rotated = await this.keys.rotate(graceMs);
      this.audit('rotate-auth-secret', 'ok', caller, {
        previous: before,
        current: rotated.fingerprint,
        gracePeriod,
      });
      return new AuthSecretRotatedDto(rotated.fingerprint, rotated.previousValidUntil);
    } catch (err) {
      this.audit('rotate-auth-secret', 'error', caller, { previous: before, err });
      throw new ChangeNotStoredError('the new token secret');
    }
  }

  private audit(action: string, outcome: string, caller: AdminCaller, details = {}): void {
    this.actions.inc({ action, outcome });
    this.logger.log({ action, outcome, client: caller.address, ...details }, 'admin action');
  }
}
