import type { FeatureConfig } from '../../../src/model/feature-config.js';
import type { Segment } from '../../../src/model/segment.js';
import { sha256Hex } from './key-material.js';
import { changeMessage, proxyMessage, type StreamMessage } from './stream-messages.js';

export interface EnvironmentSeed {
  /** Environment UUID. */
  id: string;
  /** Raw SDK keys; only their SHA-256 leaves the emulator, as with SaaS. */
  apiKeys?: string[];
  /** Already-hashed SDK keys (e.g. from an offline `auth_config.json`). */
  apiKeyHashes?: string[];
  featureConfigs?: FeatureConfig[];
  segments?: Segment[];
}

/** The offline-config-like object the emulator is seeded from. */
export interface EmulatorSeed {
  environments: EnvironmentSeed[];
}

/** One element of `/proxy/config` `environments`: all three arrays, always. */
export interface ProxyConfigEnvironment {
  id: string;
  apiKeys: string[];
  featureConfigs: FeatureConfig[];
  segments: Segment[];
}

interface EnvironmentRecord {
  /** hash -> raw key, or undefined when only the hash is known. */
  apiKeys: Map<string, string | undefined>;
  flags: Map<string, FeatureConfig>;
  segments: Map<string, Segment>;
}

type Emit = (message: StreamMessage, environment: string) => void;

const nextVersion = (previous: number | undefined, requested: number | undefined): number =>
  previous === undefined ? (requested ?? 1) : Math.max(previous + 1, requested ?? 0);

/** Flags, segments and SDK keys per environment; every change emits its stream message. */
export class EnvironmentStore {
  private readonly envs = new Map<string, EnvironmentRecord>();

  constructor(private readonly emit: Emit) {}

  has(id: string): boolean {
    return this.envs.has(id);
  }

  ids(): string[] {
    return [...this.envs.keys()];
  }

  add(seed: EnvironmentSeed): void {
    if (this.envs.has(seed.id)) {
      throw new Error(`environment ${seed.id} already exists`);
    }
    const apiKeys = new Map<string, string | undefined>();
    seed.apiKeyHashes?.forEach((hash) => apiKeys.set(hash.toLowerCase(), undefined));
    seed.apiKeys?.forEach((raw) => apiKeys.set(sha256Hex(raw), raw));
    const flags = (seed.featureConfigs ?? []).map((f) => [f.feature, structuredClone(f)] as const);
    const segments = (seed.segments ?? []).map((s) => [s.identifier, structuredClone(s)] as const);
    this.envs.set(seed.id, { apiKeys, flags: new Map(flags), segments: new Map(segments) });
  }

  remove(id: string): void {
    this.require(id);
    this.envs.delete(id);
  }

  upsertFlag(env: string, flag: FeatureConfig): FeatureConfig {
    const { flags } = this.require(env);
    const previous = flags.get(flag.feature);
    const stored = {
      ...structuredClone(flag),
      version: nextVersion(previous?.version, flag.version),
    };
    flags.set(flag.feature, stored);
    const event = previous ? 'patch' : 'create';
    this.emit(changeMessage(event, 'flag', flag.feature, stored.version, env), env);
    return structuredClone(stored);
  }

  deleteFlag(env: string, identifier: string): void {
    const { flags } = this.require(env);
    const previous = this.requireItem(flags, identifier, env);
    flags.delete(identifier);
    this.emit(changeMessage('delete', 'flag', identifier, previous.version ?? 0, env), env);
  }

  /** Flips (or sets) a flag's `state`, as a user would in the Harness UI. */
  toggleFlag(env: string, identifier: string, state?: 'on' | 'off'): FeatureConfig {
    const flag = this.requireItem(this.require(env).flags, identifier, env);
    const next = state ?? (flag.state === 'on' ? 'off' : 'on');
    return this.upsertFlag(env, { ...flag, state: next, version: undefined });
  }

  upsertSegment(env: string, segment: Segment): Segment {
    const { segments } = this.require(env);
    const previous = segments.get(segment.identifier);
    const version = nextVersion(previous?.version, segment.version);
    const stored = { ...structuredClone(segment), version };
    segments.set(segment.identifier, stored);
    const event = previous ? 'patch' : 'create';
    this.emit(changeMessage(event, 'target-segment', segment.identifier, version, env), env);
    return structuredClone(stored);
  }

  deleteSegment(env: string, identifier: string): void {
    const { segments } = this.require(env);
    const previous = this.requireItem(segments, identifier, env);
    segments.delete(identifier);
    const message = changeMessage(
      'delete',
      'target-segment',
      identifier,
      previous.version ?? 0,
      env,
    );
    this.emit(message, env);
  }

  /** Returns the stored hash, which is what `apiKeyAdded` carries. */
  addApiKey(env: string, rawKey: string): string {
    const hash = sha256Hex(rawKey);
    this.require(env).apiKeys.set(hash, rawKey);
    this.emit(proxyMessage('apiKeyAdded', [env], hash), env);
    return hash;
  }

  removeApiKey(env: string, rawKey: string): void {
    const hash = sha256Hex(rawKey);
    const { apiKeys } = this.require(env);
    if (!apiKeys.delete(hash)) {
      throw new Error(`environment ${env} has no such SDK key`);
    }
    this.emit(proxyMessage('apiKeyRemoved', [env], hash), env);
  }

  environmentOfApiKey(rawKey: string): string | undefined {
    const hash = sha256Hex(rawKey);
    return [...this.envs].find(([, record]) => record.apiKeys.has(hash))?.[0];
  }

  rawApiKeys(env: string): string[] {
    return [...this.require(env).apiKeys.values()].filter((raw) => raw !== undefined);
  }

  featureConfigs(env: string): FeatureConfig[] {
    return structuredClone([...this.require(env).flags.values()]);
  }

  /** `rules=v2` is what makes SaaS include `servingRules`; without it they are left out. */
  segments(env: string, withServingRules: boolean): Segment[] {
    const all = structuredClone([...this.require(env).segments.values()]);
    return withServingRules ? all : all.map(({ servingRules: _ignored, ...rest }) => rest);
  }

  toConfig(env: string): ProxyConfigEnvironment {
    return {
      id: env,
      apiKeys: [...this.require(env).apiKeys.keys()],
      featureConfigs: this.featureConfigs(env),
      segments: this.segments(env, true),
    };
  }

  private require(env: string): EnvironmentRecord {
    const record = this.envs.get(env);
    if (!record) {
      throw new Error(`unknown environment ${env}`);
    }
    return record;
  }

  private requireItem<T>(items: Map<string, T>, identifier: string, env: string): T {
    const item = items.get(identifier);
    if (!item) {
      throw new Error(`environment ${env} has no ${identifier}`);
    }
    return item;
  }
}
