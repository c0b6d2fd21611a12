import type { CacheStatus } from '../../cache/cache-health.service.js';
import type {
  ConfigState,
  StatusSnapshot,
  StreamState,
} from '../../status/proxy-status.service.js';

export class HealthResponseDto {
  constructor(
    readonly configStatus: StatusSnapshot<ConfigState>,
    readonly streamStatus: StatusSnapshot<StreamState>,
    readonly cacheStatus: CacheStatus,
  ) {}
}
