import { Inject, Injectable, Logger } from '@nestjs/common';
import { MemoryMirror, type MemoryView } from '../../cache/memory-mirror.js';
import { cgroupMemoryLimit, memoryNeeded } from '../../common/memory-fit.js';
import { AppConfig } from '../../config/app-config.js';

const MIB = 1024 * 1024;

export interface MemoryFit {
  limitBytes: number | null;
  neededBytes: number;
  fits: boolean;
}

/**
 * Once the config is loaded, compares what it needs with the container's memory limit and
 * warns when the limit is below it: a primary past its limit is OOM-killed, restarts, loads
 * the same config and is killed again.
 */
@Injectable()
export class MemoryFitService {
  private readonly logger = new Logger(MemoryFitService.name);
  private warned = false;

  constructor(
    @Inject(MemoryMirror) private readonly mirror: MemoryView,
    private readonly config: AppConfig,
  ) {}

  check(limitBytes: number | null = cgroupMemoryLimit()): MemoryFit {
    const configBytes = this.mirror.configBytes();
    const neededBytes = memoryNeeded({ configBytes, streamLimit: this.config.sdkStreams.limit });
    const fits = limitBytes === null || limitBytes >= neededBytes;
    if (!fits && !this.warned) {
      this.warned = true;
      this.logger.warn(
        {
          limitMiB: Math.round((limitBytes ?? 0) / MIB),
          neededMiB: Math.ceil(neededBytes / MIB),
          configMiB: Math.round(configBytes / MIB),
          sdkStreamLimit: this.config.sdkStreams.limit,
        },
        'the memory limit is below what the loaded config needs: raise resources.limits.memory (see the chart README sizing table) or the process may be OOM-killed',
      );
    }
    return { limitBytes, neededBytes, fits };
  }
}
