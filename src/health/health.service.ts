import { Injectable } from '@nestjs/common';
import { CacheHealthService } from '../cache/cache-health.service.js';
import { SealedStateReports } from '../cache/sealed/sealed-state-reports.service.js';
import { NotReadyError, SyncFailedError } from '../common/errors/proxy-error.js';
import { ProxyStatus } from '../status/proxy-status.service.js';
import { HealthResponseDto } from './dto/health-response.dto.js';

@Injectable()
export class HealthService {
  constructor(
    private readonly status: ProxyStatus,
    private readonly cache: CacheHealthService,
    private readonly sealed: SealedStateReports,
  ) {}

  /**
   * The Harness health object (docs/sdk-api.md). Without config to serve: 503 while the first
   * sync runs (or, on a replica, until a primary has filled Redis) and 500 once it failed, as
   * Harness. With config in the cache (from before this process, or synced earlier) the proxy
   * is serving SDKs, so it answers 200 and shows the sync state, and why when a person must act
   * (a revoked proxy key), instead of getting restarted. 503 too while this instance cannot
   * follow the sealed state the others run on.
   */
  health(): HealthResponseDto {
    const config = this.status.config;
    if (!this.status.ready && config.state === 'LOADING') {
      throw new NotReadyError(this.status.waitingFor);
    }
    if (!this.status.ready && config.state === 'FAILED_TO_SYNC') {
      throw new SyncFailedError();
    }
    // Serving on state the other instances do not share would split the fleet: out of rotation.
    const conflict = this.sealed.conflict;
    if (conflict !== undefined) {
      throw new NotReadyError(`sealed state conflict: ${conflict}`);
    }
    return new HealthResponseDto(config, this.status.stream, this.cache.status);
  }
}
