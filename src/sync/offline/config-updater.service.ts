import { Injectable } from '@nestjs/common';
import { ConfigWriter } from '../../cache/config-writer.service.js';
import type { EnvironmentConfig } from '../../model/environment-config.js';

/**
 * Writes the environments of the offline directory into the cache, at boot and when a cache
 * that lost its data is re-seeded. Nothing is announced: offline config changes only by restart.
 */
@Injectable()
export class ConfigUpdater {
  constructor(private readonly writer: ConfigWriter) {}

  /** Loads a whole environment; lists are written even when empty (offline semantics). */
  async loadEnvironment(env: EnvironmentConfig): Promise<void> {
    await this.writer.writeEnvironment(env, 'offline');
    for (const target of env.targets) {
      await this.writer.writeTarget(env.id, target);
    }
  }
}
