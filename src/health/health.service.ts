import { Injectable } from '@nestjs/common';
import { CacheHealthService, type CacheStatus } from '../cache/cache-health.service.js';
import { NotReadyError, ProxyError } from '../common/errors/proxy-error.js';
import {
  type ConfigState,
  ProxyStatus,
  type StatusSnapshot,
} from '../status/proxy-status.service.js';
import { HealthResponseDto } from './dto/health-response.dto.js';

class SyncFailedError extends ProxyError {
  readonly status = 500;
  readonly code = 'FAILED_TO_SYNC';
  constructor() {
    super('internal error');
  }
}

@Injectable()
export class HealthService {
  constructor(
    private readonly status: ProxyStatus,
    private readonly cache: CacheHealthService,
  ) {}

  /**
   * The Harness health object (`sdk-api.md` §8). 503 until the first config is in place, 500
   * when the startup sync failed; a disconnected stream or an unhealthy cache still answer 200.
   */
  health(): HealthResponseDto {
    const config = this.status.config;
    if (config.state === 'LOADING') {
      throw new NotReadyError();
    }
    if (config.state === 'FAILED_TO_SYNC') {
      throw new SyncFailedError();
    }
    return new HealthResponseDto(
      config as StatusSnapshot<Exclude<ConfigState, 'LOADING'>>,
      this.status.stream,
      this.cache.status satisfies CacheStatus,
    );
  }
}
