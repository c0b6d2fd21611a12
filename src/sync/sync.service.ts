import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { OfflineSyncService } from './offline-sync.service.js';
import { PrimarySyncService } from './primary-sync.service.js';

/** Starts the config source that fits the mode: the offline directory, or the upstream service. */
@Injectable()
export class SyncService implements OnApplicationBootstrap {
  private readonly logger = new Logger(SyncService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly offline: OfflineSyncService,
    private readonly primary: PrimarySyncService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.implicitOffline) {
      this.logger.warn(
        { configDir: this.config.offline.configDir },
        'no PROXY_KEY set: serving the offline config directory',
      );
    }
    switch (this.config.mode) {
      case 'offline':
        await this.offline.load();
        return;
      case 'primary':
        await this.primary.start();
        return;
      case 'replica':
        // Read replicas (Redis streams from a primary) are not built yet; refuse loudly.
        throw new Error('READ_REPLICA=true is not supported by this version of ff-relay yet');
      case 'generate-offline-config':
        throw new Error('GENERATE_OFFLINE_CONFIG runs without the server (see main.ts)');
    }
  }
}
