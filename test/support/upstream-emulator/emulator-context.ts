import type { EmulatorSettings } from './emulator-options.js';
import type { EnvironmentStore } from './environment-store.js';
import type { ProxyKeyStore } from './proxy-key-store.js';
import type { SseHub } from './sse-hub.js';
import type { TokenStore } from './token-store.js';

/** What the route plugins may read and change. */
export interface EmulatorContext {
  readonly settings: EmulatorSettings;
  readonly envs: EnvironmentStore;
  readonly keys: ProxyKeyStore;
  readonly tokens: TokenStore;
  readonly hub: SseHub;
  /** When set, `GET /stream` answers this status (config calls keep working). */
  readonly streamGate: { refuseWith?: number };
  /** `/proxy/config` pages that answer an error instead of their environments. */
  readonly failingPages: Map<number, number>;
  /** Deleting a key also emits `proxyKeyDeleted` and closes its streams. */
  deleteProxyKey(identifier: string): void;
  rotateProxyKey(identifier: string, graceMs: number): string;
}
