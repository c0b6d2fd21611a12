import type { RedisConfig } from '../../config/app-config.js';
import { loadConfig } from '../../config/load-config.js';
import { parseRedisAddress } from './redis-address.js';

function config(address: string, db = 0): RedisConfig {
  return {
    ...(loadConfig({ REDIS_ADDRESS: address, AUTH_SECRET: 's' }).redis as RedisConfig),
    db,
  };
}

describe(parseRedisAddress.name, () => {
  it('parses host:port as a single node on DB 0', () => {
    expect(parseRedisAddress(config('localhost:6379'))).toEqual({
      nodes: [{ host: 'localhost', port: 6379 }],
      cluster: false,
      db: 0,
      tls: false,
    });
  });

  it('takes the DB from the URL path and TLS from rediss://', () => {
    const target = parseRedisAddress(config('rediss://cache.internal:6380/2', 5));
    expect(target).toMatchObject({
      db: 2,
      tls: true,
      nodes: [{ host: 'cache.internal', port: 6380 }],
    });
  });

  it('applies REDIS_DB when the URL has no path (the Go proxy ignores it)', () => {
    expect(parseRedisAddress(config('redis://localhost:6379', 3)).db).toBe(3);
  });

  it('treats a comma-separated list as a cluster, stripping each scheme', () => {
    const target = parseRedisAddress(config('redis://a:7000,b:7001, redis://c:7002'));
    expect(target.cluster).toBe(true);
    expect(target.nodes).toEqual([
      { host: 'a', port: 7000 },
      { host: 'b', port: 7001 },
      { host: 'c', port: 7002 },
    ]);
  });

  it('ignores credentials in the URL', () => {
    const target = parseRedisAddress(config('redis://user:pw@localhost:6379'));
    expect(JSON.stringify(target)).not.toContain('pw');
  });
});
