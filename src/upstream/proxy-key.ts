import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';

/**
 * The proxy key in service: `PROXY_KEY` at first, then whatever an operator rotated to. Every
 * upstream call reads it here, so a new key takes effect with no restart; whoever must act on a
 * change (the primary's sync: re-authenticate, reload, reopen its stream) listens.
 */
@Injectable()
export class ProxyKey {
  private key: string;
  private readonly listeners = new Set<(key: string) => void>();

  constructor(config: AppConfig) {
    this.key = config.upstream.proxyKey;
  }

  get value(): string {
    return this.key;
  }

  use(key: string): void {
    if (key === this.key) {
      return;
    }
    this.key = key;
    this.listeners.forEach((listener) => listener(key));
  }

  onChange(listener: (key: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
