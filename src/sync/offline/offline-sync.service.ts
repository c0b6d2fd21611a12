import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { resolve } from 'node:path';
import { ConfigSource } from '../config-source.js';
import { CacheHealthService } from '../../cache/cache-health.service.js';
import { SdkKeyRegistry } from '../../cache/sealed/sdk-key-registry.service.js';
import { ChangePublisher } from '../change-publisher.service.js';
import { AppConfig } from '../../config/app-config.js';
import type { EnvironmentConfig } from '../../model/environment-config.js';
import { ProxyStatus } from '../../status/proxy-status.service.js';
import { ConfigUpdater } from './config-updater.service.js';
import { readOfflineConfig } from './offline-config.reader.js';

/**
 * Offline mode (docs/offline-config.md): load CONFIG_DIR once at boot, make no network
 * calls. A directory that cannot be loaded stops the boot.
 */
@Injectable()
export class OfflineSyncService extends ConfigSource implements OnApplicationShutdown {
  private readonly logger = new Logger(OfflineSyncService.name);
  private reseeding = false;
  private unsubscribe?: () => void;

  constructor(
    private readonly config: AppConfig,
    private readonly updater: ConfigUpdater,
    private readonly status: ProxyStatus,
    private readonly cacheHealth: CacheHealthService,
    private readonly sdkKeys: SdkKeyRegistry,
    private readonly publisher: ChangePublisher,
  ) {
    super();
  }

  async start(): Promise<void> {
    const dir = resolve(this.config.offline.configDir);
    if (this.config.implicitOffline) {
      this.logger.warn(
        { configDir: dir },
        'no PROXY_KEY set: serving the offline config directory',
      );
    }
    const environments = await this.write(dir);
    this.status.setStream('DISCONNECTED');
    // No upstream to lose: the relay's own changes are the events, so SDK streams stay open.
    this.status.holdStreamsOpen();
    this.status.setConfig('SYNCED');
    const flags = environments.reduce((n, env) => n + env.featureConfigs.length, 0);
    this.logger.log({ dir, environments: environments.length, flags }, 'offline config loaded');
    // A cache that comes back empty is written again from the directory.
    this.unsubscribe = this.cacheHealth.onEmptied(() => void this.reseed(dir));
  }

  onApplicationShutdown(): void {
    this.unsubscribe?.();
  }

  private async reseed(dir: string): Promise<void> {
    if (this.reseeding) {
      return;
    }
    this.reseeding = true;
    try {
      await this.write(dir);
      this.logger.log({ dir }, 'cache re-seeded from the offline config directory');
    } catch (err) {
      // The next health check finds the marker still missing and tries again.
      this.logger.warn({ err, dir }, 'could not re-seed the cache');
    } finally {
      this.reseeding = false;
    }
  }

  private async write(dir: string): Promise<EnvironmentConfig[]> {
    const environments = await readOfflineConfig(dir);
    for (const env of environments) {
      await this.updater.loadEnvironment(env);
    }
    // The SDK keys an operator created or removed since (Admin API), on top of the directory.
    await this.sdkKeys.restore((hash) => this.publisher.revokeKey(hash));
    await this.cacheHealth.markSeeded();
    return environments;
  }
}
