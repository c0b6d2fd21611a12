import { Injectable } from '@nestjs/common';

export type ConfigState = 'SYNCED' | 'FAILED_TO_SYNC' | 'READ_REPLICA' | 'LOADING';
export type StreamState = 'INITIALIZING' | 'CONNECTED' | 'DISCONNECTED';

export interface StatusSnapshot<S> {
  state: S;
  /** Unix milliseconds when the state was set. */
  since: number;
}

/**
 * Why config can no longer be synced, when a person must act: the proxy key was deleted or is
 * refused upstream (the cached config is served meanwhile, but no longer changes).
 */
export type ConfigReason = 'PROXY_KEY_REVOKED';

export interface ConfigSnapshot extends StatusSnapshot<ConfigState> {
  reason?: ConfigReason;
}

/**
 * The process's view of its own sync state (docs/upstream.md): whether config is loaded and
 * whether the upstream stream is connected. Sync writes it; health, SDK streams and the
 * readiness gate read it.
 */
@Injectable()
export class ProxyStatus {
  private configStatus: ConfigSnapshot = { state: 'LOADING', since: Date.now() };
  private streamStatus: StatusSnapshot<StreamState> = { state: 'INITIALIZING', since: Date.now() };
  private readonly streamListeners = new Set<(state: StreamState) => void>();
  private cacheWarm = false;
  /** Config was synced (or followed) once: the cache holds it even if syncing fails later. */
  private synced = false;
  private streamsAlwaysOpen = false;
  private waiting = 'the first config has not been loaded yet';

  get config(): ConfigSnapshot {
    return this.configStatus;
  }

  get stream(): StatusSnapshot<StreamState> {
    return this.streamStatus;
  }

  /**
   * SDK routes serve once config is in place: loaded or synced (whatever happened since),
   * already in a shared cache from before this process started (then even while the upstream
   * is unreachable), or, on a read replica, once a primary has filled Redis.
   */
  get ready(): boolean {
    return this.cacheWarm || this.synced;
  }

  /** What an instance that is not ready waits for, as its 503s say. */
  get waitingFor(): string {
    return this.waiting;
  }

  waitFor(what: string): void {
    this.waiting = what;
  }

  /** Whether SDKs may hold `/stream`: while the stream that brings changes is connected. */
  get streamsOpen(): boolean {
    return this.streamsAlwaysOpen || this.streamStatus.state === 'CONNECTED';
  }

  /** For a source whose changes come from the relay itself (offline): streams never close. */
  holdStreamsOpen(): void {
    this.streamsAlwaysOpen = true;
  }

  /** The cache held config before this process synced anything. */
  markCacheWarm(): void {
    this.cacheWarm = true;
  }

  setConfig(state: ConfigState, reason?: ConfigReason): void {
    if (state === 'SYNCED' || state === 'READ_REPLICA') {
      this.synced = true;
    }
    if (state !== this.configStatus.state || reason !== this.configStatus.reason) {
      this.configStatus = reason
        ? { state, since: Date.now(), reason }
        : { state, since: Date.now() };
    }
  }

  setStream(state: StreamState): void {
    if (state !== this.streamStatus.state) {
      this.streamStatus = { state, since: Date.now() };
      for (const listener of this.streamListeners) {
        listener(state);
      }
    }
  }

  onStreamChange(listener: (state: StreamState) => void): () => void {
    this.streamListeners.add(listener);
    return () => this.streamListeners.delete(listener);
  }
}
