import type { FeatureConfig } from '../../../src/model/feature-config.js';
import type { Segment } from '../../../src/model/segment.js';
import type { EmulatorContext } from './emulator-context.js';
import {
  resolveOptions,
  type EmulatorSettings,
  type UpstreamEmulatorOptions,
} from './emulator-options.js';
import { EnvironmentStore, type EnvironmentSeed } from './environment-store.js';
import { newRawKey } from './key-material.js';
import { ProxyKeyStore } from './proxy-key-store.js';
import { SseHub } from './sse-hub.js';
import { proxyMessage, sseFrame, type StreamMessage } from './stream-messages.js';
import { TokenStore } from './token-store.js';

export interface AddEnvironmentOptions {
  /** Proxy keys with a `selected` scope that should cover the new environment too. */
  proxyKeys?: string[];
}

/**
 * The control API tests use to change "SaaS": every change is synchronous and emits the SSE
 * message SaaS would send, to the streams of the proxy keys that cover the environment.
 */
export class EmulatorState {
  protected readonly settings: EmulatorSettings;
  protected readonly hub: SseHub;
  protected readonly envs: EnvironmentStore;
  protected readonly keys: ProxyKeyStore;
  protected readonly tokens: TokenStore;
  protected readonly ctx: EmulatorContext;

  constructor(options: UpstreamEmulatorOptions = {}) {
    const settings = resolveOptions(options);
    this.settings = settings;
    this.hub = new SseHub(settings.heartbeatMs, settings.heartbeatOnConnect);
    this.envs = new EnvironmentStore((message, env) => this.sendToCovering(message, env));
    // SaaS cuts the streams opened with a key once it is revoked (rotated out, grace over).
    this.keys = new ProxyKeyStore(
      (env) => this.envs.has(env),
      () =>
        this.hub.cut((id, raws) => raws.some((raw) => this.keys.findByRaw(raw)?.identifier !== id)),
    );
    this.tokens = new TokenStore(settings.jwtSecret, settings.tokenTtlMs);
    this.keys.add(settings.proxyKeyIdentifier, 'all', options.proxyKey ?? newRawKey());
    options.seed?.environments.forEach((env) => this.envs.add(env));
    this.ctx = {
      settings,
      envs: this.envs,
      keys: this.keys,
      tokens: this.tokens,
      hub: this.hub,
      streamGate: {},
      failingPages: new Map(),
      deleteProxyKey: (identifier) => this.deleteProxyKey(identifier),
      rotateProxyKey: (identifier, graceMs) => this.rotateProxyKey({ identifier, graceMs }),
    };
  }

  /**
   * Makes `GET /stream` fail with `status` while every other call keeps working: the upstream
   * stream is down but polling works. Open streams are cut too.
   */
  refuseStreams(status = 503): void {
    this.ctx.streamGate.refuseWith = status;
    this.hub.cut();
  }

  acceptStreams(): void {
    this.ctx.streamGate.refuseWith = undefined;
  }

  /** Makes `/proxy/config` page `pageNumber` answer `status` until {@link servePages}. */
  failPage(pageNumber: number, status = 500): void {
    this.ctx.failingPages.set(pageNumber, status);
  }

  servePages(): void {
    this.ctx.failingPages.clear();
  }

  /** The current raw value of the seeded proxy key (what `PROXY_KEY` should be). */
  get proxyKey(): string {
    return this.proxyKeyOf(this.settings.proxyKeyIdentifier);
  }

  proxyKeyOf(identifier: string): string {
    const key = this.keys.get(identifier);
    if (!key) {
      throw new Error(`unknown proxy key ${identifier}`);
    }
    return key.current;
  }

  /** Another proxy key, covering every environment (`all`) or only the ones listed. */
  createProxyKey(identifier: string, environments: 'all' | string[] = 'all'): string {
    return this.keys.add(identifier, environments);
  }

  /**
   * Like the admin API's `rotateKey`: returns the new key; the old one lives `graceMs` more,
   * then its tokens stop working and the streams opened with it are cut.
   */
  rotateProxyKey(options: { identifier?: string; graceMs?: number } = {}): string {
    return this.keys.rotate(
      options.identifier ?? this.settings.proxyKeyIdentifier,
      options.graceMs ?? 0,
    );
  }

  /** Ends the grace period of rotated-out keys now: their tokens and streams die too. */
  expireRotatedKeys(identifier = this.settings.proxyKeyIdentifier): void {
    this.keys.expirePrevious(identifier);
  }

  /** Emits `proxyKeyDeleted`, ends that key's streams, and refuses the key and its tokens. */
  deleteProxyKey(identifier = this.settings.proxyKeyIdentifier): void {
    const ofKey = (keyId: string): boolean => keyId === identifier;
    this.hub.send(sseFrame(proxyMessage('proxyKeyDeleted')), ofKey);
    this.hub.end(ofKey);
    this.tokens.revokeWhere((grant) => grant.kind === 'proxy' && grant.keyId === identifier);
    this.keys.delete(identifier);
  }

  /** Every issued token now gets 401; the proxy has to call `/proxy/auth` again. */
  revokeTokens(): number {
    return this.tokens.revokeWhere(() => true);
  }

  /** Lifetime of tokens issued from now on (`undefined`: no expiry). */
  setTokenTtl(ttlMs: number | undefined): void {
    this.tokens.setTtl(ttlMs);
  }

  environmentIds(): string[] {
    return this.envs.ids();
  }

  /** The raw SDK keys known for an environment (hash-only seeds have none). */
  sdkKeys(env: string): string[] {
    return this.envs.rawApiKeys(env);
  }

  featureConfigs(env: string): FeatureConfig[] {
    return this.envs.featureConfigs(env);
  }

  segments(env: string): Segment[] {
    return this.envs.segments(env, true);
  }

  addEnvironment(seed: EnvironmentSeed, options: AddEnvironmentOptions = {}): void {
    this.envs.add(seed);
    options.proxyKeys?.forEach((identifier) => this.keys.grant(identifier, seed.id));
    this.sendToCovering(proxyMessage('environmentsAdded', [seed.id]), seed.id);
  }

  /** Emitted before the removal, so it reaches the keys that covered the environment. */
  removeEnvironment(id: string): void {
    this.sendToCovering(proxyMessage('environmentsRemoved', [id]), id);
    this.envs.remove(id);
    this.keys.forget(id);
  }

  upsertFlag(env: string, flag: FeatureConfig): FeatureConfig {
    return this.envs.upsertFlag(env, flag);
  }

  deleteFlag(env: string, identifier: string): void {
    this.envs.deleteFlag(env, identifier);
  }

  toggleFlag(env: string, identifier: string, state?: 'on' | 'off'): FeatureConfig {
    return this.envs.toggleFlag(env, identifier, state);
  }

  upsertSegment(env: string, segment: Segment): Segment {
    return this.envs.upsertSegment(env, segment);
  }

  deleteSegment(env: string, identifier: string): void {
    this.envs.deleteSegment(env, identifier);
  }

  /** Returns the SHA-256 that `apiKeyAdded` and `/proxy/config` carry. */
  addApiKey(env: string, rawKey: string): string {
    return this.envs.addApiKey(env, rawKey);
  }

  removeApiKey(env: string, rawKey: string): void {
    this.envs.removeApiKey(env, rawKey);
  }

  private sendToCovering(message: StreamMessage, env: string): void {
    this.hub.send(sseFrame(message), (keyId) => this.keys.covers(keyId, env));
  }
}
