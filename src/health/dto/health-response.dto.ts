import type { CacheStatus } from '../../cache/cache-health.service.js';
import type {
  ConfigSnapshot,
  StatusSnapshot,
  StreamState,
} from '../../status/proxy-status.service.js';

export class HealthResponseDto {
  constructor(
    /** Harness' `{state, since}`, plus `reason` when a person must act. */
    readonly configStatus: ConfigSnapshot,
    readonly streamStatus: StatusSnapshot<StreamState>,
    readonly cacheStatus: CacheStatus,
  ) {}
}
