import { hash } from 'node:crypto';

const AUTH_KEY_PREFIX = 'auth-key-';
/** What every proxy key's inventory name ends with: how other keys' inventories are found. */
export const INVENTORY_SUFFIX = '-inventory';

/** The two kinds of per-environment list, each with an item key per entry. */
export type ListKind = 'flags' | 'segments';

/**
 * Every Redis key name ff-relay reads or writes, exactly as the Harness proxy lays them out
 * (docs/redis-layout.md), so Go replicas and tooling keep working against the same database.
 */
export const CACHE_KEYS = {
  authKey: (keyHash: string) => `${AUTH_KEY_PREFIX}${keyHash}`,
  apiConfigs: (env: string) => `env-${env}-api-configs`,
  featureConfigs: (env: string) => `env-${env}-feature-configs`,
  featureConfig: (env: string, feature: string) => `env-${env}-feature-config-${feature}`,
  segments: (env: string) => `env-${env}-segments`,
  segment: (env: string, identifier: string) => `env-${env}-segment-${identifier}`,
  targetConfigs: (env: string) => `env-${env}-target-configs`,
  targetConfig: (env: string, identifier: string) => `env-${env}-target-config-${identifier}`,
  /** Named by the proxy key's hash: the Go proxy leaks the raw key into this name. */
  inventory: (proxyKey: string) => `key-${sha256Hex(proxyKey)}${INVENTORY_SUFFIX}`,
  latest: (listKey: string) => `${listKey}-latest`,
  streamHealth: 'ffproxy_saas_stream_health',
  /** Redis streams between a primary and its read replicas (docs/redis-layout.md). */
  sseEventsStream: 'proxy:sse_events',
  controlEventsStream: 'proxy:primary_to_replica_control_events',
  sdkMetricsStream: 'stream:sdk_metrics',
  /**
   * Ours: where the primary resumes `stream:sdk_metrics` (instead of at `$`, losing what replicas
   * took meanwhile): claimed by whoever touches the stream first, then moved forward to the last
   * entry forwarded upstream. See docs/high-availability.md, "SDK metrics: what reaches
   * Harness".
   */
  sdkMetricsPosition: 'ff-relay-sdk-metrics-position',
  /** Ours: the SDK-token secrets after a rotation, sealed under the configured AUTH_SECRET. */
  authSecrets: 'ff-relay-auth-secrets',
  /**
   * Ours: beside each sealed value, its epoch and the fingerprint in service, in clear with a
   * MAC (docs/sealed-state.md): how an instance that cannot open the value knows what the
   * others run on.
   */
  authSecretsMarker: 'ff-relay-auth-secrets-marker',
  /** Ours: the proxy key an operator rotated to, sealed under the configured PROXY_KEY. */
  proxyKey: 'ff-relay-proxy-key',
  proxyKeyMarker: 'ff-relay-proxy-key-marker',
  /** Ours: a hash per minute (fields: names, values: counts) summed over every instance. */
  fleetCount: (subject: string, minute: number) => `ff-relay-count-${subject}-${minute}`,
  /** Ours: SDK keys an operator created or removed on an offline relay (hashes only). */
  sdkKeyLedger: 'ff-relay-sdk-keys',
  /**
   * Ours: written with the config (after every full load), so a Redis that came back empty is
   * told apart from one that merely reconnected. Harness tools ignore it.
   */
  seedMarker: 'ff-relay-seed-marker',
} as const;

/**
 * A cache key as a log line may show it: the SHA-256 it holds (of an SDK or proxy key) cut to its
 * 12-hex fingerprint, since the whole hash of a low-entropy key is as good as the key to a guesser.
 */
export function loggableKey(key: string): string {
  return key.replace(/\b([0-9a-f]{12})[0-9a-f]{52}\b/g, '$1…');
}

/** SHA-256 as 64 lower-case hex characters: how SDK keys are looked up (docs/sdk-api.md). */
export function sha256Hex(value: string | Buffer): string {
  // The one-shot form: no Hash object per call (memo keys of new targets hash on every request).
  return hash('sha256', value, 'hex');
}

/** The kinds of stored value SDK requests are served from (memory mirrors only these). */
export type ServedKind = ListKind | 'authKey' | 'target';

/** A flag or segment list, an SDK-key list or an item, by what its name says. */
const LIST_KEY =
  /^env-((?:(?!-feature-config-|-segment-|-target-config-).)+)-(feature-configs|segments|api-configs)$/;
const LIST_KINDS = {
  'feature-configs': 'flags',
  segments: 'segments',
  'api-configs': 'apiKeys',
} as const;
const INVENTORY_KEY = /^key-[0-9a-f]{64}-inventory$/;

/** Reading key names back: the only place besides {@link CACHE_KEYS} that knows the layout. */
export const KEY_NAMES = {
  /** What every key of an environment's config and targets starts with (not its SDK keys). */
  environmentPrefix: (env: string) => `env-${env}-`,

  /** What the item keys of an environment's flags or segments start with. */
  itemPrefix: (kind: ListKind, env: string) =>
    kind === 'flags' ? `env-${env}-feature-config-` : `env-${env}-segment-`,

  /** The SDK key hash an `auth-key-<hash>` name holds, else undefined. */
  authKeyHash(key: string): string | undefined {
    return key.startsWith(AUTH_KEY_PREFIX) ? key.slice(AUTH_KEY_PREFIX.length) : undefined;
  },

  /** The environment and kind of a list key (never of an item named like one), else undefined. */
  list(key: string): { env: string; kind: ListKind | 'apiKeys' } | undefined {
    const match = LIST_KEY.exec(key);
    const [, env, suffix] = match ?? [];
    return env && suffix ? { env, kind: LIST_KINDS[suffix as keyof typeof LIST_KINDS] } : undefined;
  },

  /** Flag and segment lists have a `-latest` companion (Harness layout). */
  hasLatest(key: string): boolean {
    const kind = KEY_NAMES.list(key)?.kind;
    return kind === 'flags' || kind === 'segments';
  },

  isInventory(key: string): boolean {
    return INVENTORY_KEY.test(key);
  },

  /** What memory keeps of a key, by its name; undefined: not served to SDKs, not mirrored. */
  servedKind(key: string): ServedKind | undefined {
    if (key.startsWith(AUTH_KEY_PREFIX)) {
      return 'authKey';
    }
    if (!key.startsWith('env-')) {
      return undefined;
    }
    if (key.endsWith('-feature-configs') || key.endsWith('-segments')) {
      const kind = KEY_NAMES.list(key)?.kind;
      if (kind === 'flags' || kind === 'segments') {
        return kind;
      }
    }
    return key.includes('-target-config-') ? 'target' : undefined;
  },
};
