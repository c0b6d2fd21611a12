/**
 * The compiled relay reads every documented variable: a malformed value stops the boot (exit 1,
 * one line naming the variable, never its value), and valid values all show on the one
 * `service config` line, as given, in their documented units.
 */
import { createHash } from 'node:crypto';
import { getMetadataStorage } from 'class-validator';
import { EnvVars } from '../../src/config/env-vars.js';
import { ALIASES } from '../../src/config/settings-line.js';
import { buildProxy, type ProxyProcess, spawnProxy, stopProxy } from '../support/built-proxy.js';
import { EXAMPLE_CONFIG_DIR } from '../support/example-config.js';
import { proxyEnvVarNames } from '../support/helm-chart.js';
import { freePort } from '../support/ports.js';
import { flushTestDb, testRedisAddress } from '../support/redis.js';

/** In every malformed value, so the test can see it is never printed. */
const MARK = 'bad-4e1f';
/** A malformed value per variable where the mark alone would be a valid one. */
const MALFORMED: Readonly<Record<string, string>> = { REDIS_ADDRESS: `redis://host:6379/${MARK}` };

/** Variables with a format (all but free text: keys, secrets, paths, identifiers). */
function typedVariables(): string[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(EnvVars, '', true, false);
  const typed = metadata.filter((m) => m.type === 'customValidation' && m.name !== 'isString');
  return [...new Set(typed.map((m) => m.propertyName))].sort();
}

interface Ended {
  env: Record<string, string>;
  code: number | null;
  stderr: string[];
  stdout: string;
}

/** Runs the relay once per env, a few at a time (each boot costs a second of CPU). */
async function runAll(envs: Record<string, string>[]): Promise<Ended[]> {
  const ended: Ended[] = [];
  for (let i = 0; i < envs.length; i += 6) {
    const batch = envs.slice(i, i + 6).map(async (env) => {
      const proxy = spawnProxy(env);
      const code = await proxy.exited;
      return { env, code, stderr: proxy.stderr().trim().split('\n'), stdout: proxy.stdout() };
    });
    ended.push(...(await Promise.all(batch)));
  }
  return ended;
}

describe('configuration of the compiled relay', () => {
  beforeAll(() => buildProxy(), 180_000);

  it('stops at boot on a malformed value of any variable: exit 1, one line naming it, never the value', async () => {
    const typed = typedVariables();
    console.log(`${typed.length} typed variables: ${typed.join(' ')}`);
    expect(typed).toEqual(expect.arrayContaining(['LOG_LEVEL', 'REDIS_WRITE_TIMEOUT_SECONDS']));
    const ended = await runAll(typed.map((name) => ({ [name]: MALFORMED[name] ?? MARK })));
    for (const { env, code, stderr, stdout } of ended) {
      const [name] = Object.keys(env);
      expect({ name, code, stderr }).toEqual({
        name,
        code: 1,
        stderr: [expect.stringMatching(new RegExp(`^Invalid configuration: ${name} must `))],
      });
      expect(stderr.join('') + stdout).not.toContain(MARK);
    }
  }, 300_000);

  it('stops at boot when a name and its alias disagree, or the pool leaves a replica too few connections', async () => {
    await flushTestDb();
    const replica = { READ_REPLICA: 'true', REDIS_ADDRESS: testRedisAddress(), AUTH_SECRET: 's' };
    const ended = await runAll([
      { REDIS_DIAL_TIMEOUT: '5s', REDIS_DIAL_TIMEOUT_SECONDS: '10' },
      { METRICS_STREAM_READ_CONCURRENCY: '4', METRIC_STREAM_READ_CONCURRENCY: '5' },
      { ...replica, REDIS_POOL_SIZE_LITERAL: '2' },
    ]);
    expect(ended.map(({ code, stderr }) => ({ code, stderr }))).toEqual([
      {
        code: 1,
        stderr: [
          'Invalid configuration: REDIS_DIAL_TIMEOUT and REDIS_DIAL_TIMEOUT_SECONDS are both set, to different values: set one',
        ],
      },
      {
        code: 1,
        stderr: [
          'Invalid configuration: METRIC_STREAM_READ_CONCURRENCY and METRICS_STREAM_READ_CONCURRENCY are both set, to different values: set one',
        ],
      },
      {
        code: 1,
        stderr: [
          'ff-relay cannot start: REDIS_POOL_SIZE_LITERAL allows 2 connection(s) to each redis node; this process needs 3: one for commands and one per stream reader',
        ],
      },
    ]);
  }, 120_000);

  it('logs every setting on one service config line as given, and one warning naming those with no effect', async () => {
    await flushTestDb();
    const [port, prometheusPort] = [await freePort(), await freePort()];
    const valid = validValues(port, prometheusPort);
    expect(Object.keys(valid).sort()).toEqual(proxyEnvVarNames());
    const env = Object.fromEntries(Object.entries(valid).map(([name, [given]]) => [name, given]));
    const proxy = spawnProxy({ ...env, DEBUG: 'true' });
    try {
      for (const msg of ['service config', 'settings with no effect here']) {
        await expect.poll(() => lineOf(proxy, msg), { timeout: 30_000 }).toBeDefined();
      }
      const shown = Object.entries(valid).filter(([name]) => !(name in ALIASES));
      expect(lineOf(proxy, 'service config')).toMatchObject({
        level: 'info',
        config: Object.fromEntries(shown.map(([name, [, value]]) => [name, value])),
      });
      expect(Object.keys(lineOf(proxy, 'service config')?.config ?? {}).sort()).toEqual(
        shown.map(([name]) => name).sort(),
      );
      const warning = lineOf(proxy, 'settings with no effect here');
      expect(warning?.level).toBe('warn');
      expect(Object.keys(warning?.settings ?? {}).sort()).toEqual([
        'DEBUG',
        'REDIS_CON_MAX_IDLE_TIME_MINUTES',
        'REDIS_MAX_IDLE_CONNS',
        'REDIS_MIN_IDLE_CONNS',
        'REDIS_POOL_TIMEOUT_SECONDS',
      ]);
    } finally {
      await stopProxy(proxy);
    }
    for (const secret of ['pk-7f3e', 'as-91c4', 'rp-55aa', 'ast-1c', 'aat-2d-0123']) {
      expect(proxy.stdout() + proxy.stderr()).not.toContain(secret);
    }
  }, 60_000);
});

/** The first stdout line with this `msg`, parsed. */
function lineOf(
  proxy: ProxyProcess,
  msg: string,
): { level: string; config?: object; settings?: object } | undefined {
  for (const line of proxy.stdout().split('\n')) {
    if (line.includes(`"msg":"${msg}"`)) {
      return JSON.parse(line) as { level: string; config?: object; settings?: object };
    }
  }
  return undefined;
}

function sha(secret: string): string {
  return `sha256:${createHash('sha256').update(secret).digest('hex').slice(0, 12)}`;
}

/** Every variable: a valid value as given, and how the line shows it. */
function validValues(port: number, prometheusPort: number): Record<string, [string, unknown]> {
  return {
    PROXY_KEY: ['pk-7f3e', sha('pk-7f3e')],
    AUTH_SECRET: ['as-91c4', sha('as-91c4')],
    CLIENT_SERVICE: ['http://127.0.0.1:9/api/1.0', 'http://127.0.0.1:9/api/1.0'],
    METRIC_SERVICE: ['http://127.0.0.1:9/events', 'http://127.0.0.1:9/events'],
    READ_REPLICA: ['False', false],
    OFFLINE: ['T', true],
    CONFIG_DIR: [EXAMPLE_CONFIG_DIR, EXAMPLE_CONFIG_DIR],
    GENERATE_OFFLINE_CONFIG: ['0', false],
    REDIS_ADDRESS: [testRedisAddress(), testRedisAddress()],
    REDIS_USERNAME: ['default', 'default'],
    REDIS_PASSWORD: ['rp-55aa', 'set'],
    REDIS_DB: ['3', 3],
    REDIS_POOL_SIZE: ['5', 5],
    REDIS_DIAL_TIMEOUT: ['7s', 7],
    REDIS_DIAL_TIMEOUT_SECONDS: ['7', 7],
    REDIS_READ_TIMEOUT: ['4s', 4],
    REDIS_READ_TIMEOUT_SECONDS: ['4', 4],
    REDIS_WRITE_TIMEOUT_SECONDS: ['2', 2],
    REDIS_MAX_RETRIES: ['6', 6],
    REDIS_MIN_RETRY_BACKOFF: ['16ms', 16],
    REDIS_MIN_RETRY_BACKOFF_MILLIS: ['16', 16],
    REDIS_MAX_RETRY_BACKOFF: ['1s', 1000],
    REDIS_MAX_RETRY_BACKOFF_MILLIS: ['1000', 1000],
    REDIS_POOL_SIZE_LITERAL: ['12', 12],
    REDIS_POOL_TIMEOUT_SECONDS: ['9', 9],
    REDIS_MIN_IDLE_CONNS: ['1', 1],
    REDIS_MAX_IDLE_CONNS: ['4', 4],
    REDIS_MAX_ACTIVE_CONNS: ['20', 20],
    REDIS_CON_MAX_IDLE_TIME_MINUTES: ['45', 45],
    REDIS_CON_MAX_LIFETIME_MINUTES: ['90', 90],
    REDIS_STARTUP_TIMEOUT: ['20s', '20s'],
    PORT: [String(port), port],
    PROMETHEUS_PORT: [String(prometheusPort), prometheusPort],
    TLS_ENABLED: ['false', false],
    TLS_CERT: ['/certs/tls.crt', '/certs/tls.crt'],
    TLS_KEY: ['/certs/tls.key', '/certs/tls.key'],
    METRIC_POST_DURATION: ['30', 30],
    HEARTBEAT_INTERVAL: ['0', 0],
    FORWARD_TARGETS: ['true', true],
    BYPASS_AUTH: ['false', false],
    ADMIN_SERVICE: ['https://admin.example.com/gateway/cf', 'https://admin.example.com/gateway/cf'],
    ADMIN_SERVICE_TOKEN: ['ast-1c', 'set'],
    PROXY_KEY_IDENTIFIER: ['relay-key', 'relay-key'],
    ACCOUNT_IDENTIFIER: ['acct', 'acct'],
    ORG_IDENTIFIER: ['org', 'org'],
    ADMIN_API_TOKEN: ['aat-2d-0123456789abcdef0123456789', 'set'],
    TRUSTED_PROXIES: ['10.0.0.0/8', '10.0.0.0/8'],
    LOG_LEVEL: ['info', 'INFO'],
    METRICS_STREAM_MAX_LEN: ['500', 500],
    METRICS_STREAM_READ_CONCURRENCY: ['4', 4],
    METRIC_STREAM_READ_CONCURRENCY: ['4', 4],
    AND_RULES: ['false', false],
    BODY_LIMIT_BYTES: ['2048', 2048],
    JSON_EVALUATION_DOUBLE_ENCODE: ['true', true],
    SSE_HEARTBEAT_INTERVAL: ['10', 10],
    SDK_STREAM_LIMIT: ['250', 250],
    SDK_STREAM_MAX_AGE: ['1h', '1h'],
    UPSTREAM_POLL_INTERVAL: ['30', 30],
    UPSTREAM_STREAM_TIMEOUT: ['45', 45],
    HTTP_IDLE_TIMEOUT: ['90s', '90s'],
    SHUTDOWN_TIMEOUT: ['20s', '20s'],
    AUTH_RATE_LIMIT: ['100', 100],
    HTTP_REQUEST_TIMEOUT: ['15s', '15s'],
    NODE_ENV: ['production', 'production'],
    ACCESS_LOG: ['false', false],
    LOG_FORMAT: ['json', 'json'],
    PPROF: ['false', false],
    PPROF_PORT: ['6061', 6061],
    GCP_PROFILER_ENABLED: ['false', false],
    ENV: ['staging', 'staging'],
  };
}
