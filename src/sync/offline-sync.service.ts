import { Injectable, Logger } from '@nestjs/common';
import { resolve } from 'node:path';
import { AppConfig } from '../config/app-config.js';
import { ProxyStatus } from '../status/proxy-status.service.js';
import { ConfigUpdater } from './config-updater.service.js';
import { readOfflineConfig } from './offline-config.reader.js';

/**
 * Offline mode (`offline-and-config.md` §1.3): load CONFIG_DIR once at boot, make no network
 * calls. A directory that cannot be loaded stops the boot.
 */
@Injectable()
export class OfflineSyncService {
  private readonly logger = new Logger(OfflineSyncService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly updater: ConfigUpdater,
    private readonly status: ProxyStatus,
  ) {}

  async load(): Promise<void> {
    const dir = resolve(this.config.offline.configDir);
    const environments = await readOfflineConfig(dir);
    for (const env of environments) {
      await this.updater.loadEnvironment(env);
    }
    this.status.setStream('DISCONNECTED');
    this.status.setConfig('SYNCED');
    const flags = environments.reduce((n, env) => n + env.featureConfigs.length, 0);
    this.logger.log({ dir, environments: environments.length, flags }, 'offline config loaded');
  }
}
