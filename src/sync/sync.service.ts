import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigSource } from './config-source.js';

/** Starts this mode's config source once every module is ready. */
@Injectable()
export class SyncService implements OnApplicationBootstrap {
  constructor(private readonly source: ConfigSource) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.source.start();
  }
}
