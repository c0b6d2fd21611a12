import type { RedisConfig } from '../../config/app-config.js';

export interface RedisNode {
  host: string;
  port: number;
}

export interface RedisTarget {
  nodes: RedisNode[];
  /** Two or more addresses mean Redis Cluster, as in the Go proxy. */
  cluster: boolean;
  db: number;
  tls: boolean;
}

/**
 * Parses `REDIS_ADDRESS` the way the Harness proxy does (docs/redis-layout.md): `host:port`,
 * `redis://host:port/db`, `rediss://` for TLS, or a comma-separated list for a cluster. URL
 * credentials are ignored (they come from REDIS_USERNAME/REDIS_PASSWORD only). REDIS_DB applies
 * when the URL has no path, which fixes the Go proxy ignoring it.
 */
export function parseRedisAddress(config: RedisConfig): RedisTarget {
  const entries = config.address
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  const first = entries[0] ?? '';
  const tls = first.startsWith('rediss://');
  const urls = entries.map(
    (entry) => new URL(/^rediss?:\/\//.test(entry) ? entry : `redis://${entry}`),
  );
  const nodes = urls.map((url) => ({
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number.parseInt(url.port, 10) : 6379,
  }));
  const path = urls[0]?.pathname.replace(/^\//, '') ?? '';
  const db = path ? Number.parseInt(path, 10) : config.db;
  return { nodes, cluster: nodes.length > 1, db: Number.isNaN(db) ? 0 : db, tls };
}
