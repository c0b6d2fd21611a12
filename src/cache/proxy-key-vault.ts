import { Injectable } from '@nestjs/common';
import { open, seal } from '../common/sealed-box.js';
import { AppConfig } from '../config/app-config.js';
import { CACHE_KEYS } from './cache-keys.js';
import { CacheStore } from './cache-store.js';

/**
 * Where a rotated proxy key survives restarts: in the cache, sealed (AES-256-GCM) under the
 * configured PROXY_KEY, which the environment keeps naming after a rotation. Only a process that
 * holds the old key can open it, and that one could have rotated the key itself.
 */
@Injectable()
export class ProxyKeyVault {
  constructor(
    private readonly config: AppConfig,
    private readonly store: CacheStore,
  ) {}

  /** The stored key, or undefined when there is none (or not for this PROXY_KEY). */
  async load(): Promise<string | undefined> {
    const sealed = await this.store.get(CACHE_KEYS.proxyKey);
    return sealed === null ? undefined : open(sealed, this.config.upstream.proxyKey);
  }

  async save(key: string): Promise<void> {
    await this.store.set([[CACHE_KEYS.proxyKey, seal(key, this.config.upstream.proxyKey)]]);
  }
}
