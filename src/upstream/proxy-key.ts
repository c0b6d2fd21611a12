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
  /** The key replaced last and until when Harness still accepts it (a rotation's grace). */
  private retired?: { key: string; validUntil: number };
  private readonly listeners = new Set<(key: string) => void>();
  private changes = 0;

  constructor(config: AppConfig) {
    this.key = config.upstream.proxyKey;
  }

  get value(): string {
    return this.key;
  }

  /** The previous key while Harness still accepts it, if the last change said until when. */
  get previous(): { key: string; validUntil: number } | undefined {
    return this.retired && this.retired.validUntil > Date.now() ? this.retired : undefined;
  }

  /**
   * Whether an operator's key change is under way (Harness may cut the old key's stream before
   * it answers): the stream's end is then expected, not a fault.
   */
  get changing(): boolean {
    return this.changes > 0;
  }

  /** Runs `change` (a rotation or a switch) with {@link changing} true meanwhile. */
  async whileChanging<T>(change: () => Promise<T>): Promise<T> {
    this.changes += 1;
    try {
      return await change();
    } finally {
      this.changes -= 1;
    }
  }

  use(key: string, previousValidUntil?: number): void {
    if (key === this.key) {
      return;
    }
    this.retired =
      previousValidUntil === undefined
        ? undefined
        : { key: this.key, validUntil: previousValidUntil };
    this.key = key;
    this.listeners.forEach((listener) => listener(key));
  }

  onChange(listener: (key: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
