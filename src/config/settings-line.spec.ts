import { getMetadataStorage } from 'class-validator';
import { EnvVars } from './env-vars.js';
import { loadConfig } from './load-config.js';
import { ALIASES } from './settings-line.js';

/** Every variable EnvVars validates, i.e. every one ff-relay reads. */
function envVarNames(): string[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(EnvVars, '', true, false);
  return [...new Set(metadata.map((m) => m.propertyName))];
}

describe('the service config line (AppConfig.startup)', () => {
  it('shows every variable ff-relay reads under its documented name, aliases under theirs', () => {
    const shown = Object.keys(loadConfig({}).startup.settings).sort();
    const documented = envVarNames().filter((name) => !(name in ALIASES));
    expect(shown).toEqual(documented.sort());
    for (const documentedName of Object.values(ALIASES)) {
      expect(shown).toContain(documentedName);
    }
  });

  it('shows defaults in the documented units', () => {
    expect(loadConfig({}).startup.settings).toMatchObject({
      PROXY_KEY: 'unset',
      AUTH_SECRET: 'unset',
      REDIS_ADDRESS: '',
      REDIS_MAX_RETRIES: 3,
      REDIS_MIN_RETRY_BACKOFF_MILLIS: 8,
      REDIS_MAX_RETRY_BACKOFF_MILLIS: 512,
      REDIS_DIAL_TIMEOUT_SECONDS: 5,
      REDIS_READ_TIMEOUT_SECONDS: 3,
      REDIS_WRITE_TIMEOUT_SECONDS: 3,
      REDIS_POOL_SIZE: 10,
      REDIS_POOL_SIZE_LITERAL: 0,
      REDIS_POOL_TIMEOUT_SECONDS: 4,
      REDIS_CON_MAX_IDLE_TIME_MINUTES: 30,
      REDIS_CON_MAX_LIFETIME_MINUTES: 0,
      METRICS_STREAM_MAX_LEN: 1000,
      METRICS_STREAM_READ_CONCURRENCY: 10,
      LOG_LEVEL: 'INFO',
      METRIC_POST_DURATION: 60,
      HEARTBEAT_INTERVAL: 60,
      PORT: 7000,
      SHUTDOWN_TIMEOUT: '25s',
      PPROF: false,
      PPROF_PORT: 6060,
      AND_RULES: true,
    });
  });

  it('never shows a secret: fingerprints for the proxy key and token secret, set/unset otherwise', () => {
    const secrets = {
      PROXY_KEY: 'proxy-key-5b1e',
      AUTH_SECRET: 'auth-secret-77c2',
      REDIS_PASSWORD: 'redis-password-0f3a',
      ADMIN_API_TOKEN: 'admin-token-91d0-0123456789abcdef0123',
      ADMIN_SERVICE_TOKEN: 'pat.service-token-4e2b',
    };
    const settings = loadConfig({
      ...secrets,
      REDIS_ADDRESS: 'redis://user:url-password-8c1d@redis:6379/2',
      CLIENT_SERVICE: 'https://relay:url-password-3a9e@config.example.com/api/1.0',
    }).startup.settings;
    const line = JSON.stringify(settings);
    for (const secret of [...Object.values(secrets), 'url-password-8c1d', 'url-password-3a9e']) {
      expect(line).not.toContain(secret);
    }
    expect(settings.PROXY_KEY).toMatch(/^sha256:[0-9a-f]{12}$/);
    expect(settings.AUTH_SECRET).toMatch(/^sha256:[0-9a-f]{12}$/);
    expect(settings).toMatchObject({
      REDIS_PASSWORD: 'set',
      ADMIN_API_TOKEN: 'set',
      ADMIN_SERVICE_TOKEN: 'set',
      REDIS_ADDRESS: 'redis://user:***@redis:6379/2',
      CLIENT_SERVICE: 'https://relay:***@config.example.com/api/1.0',
    });
  });

  it('shows a value given through an alias under the documented name, in its unit', () => {
    const settings = loadConfig({
      REDIS_READ_TIMEOUT: '1500ms',
      METRIC_STREAM_READ_CONCURRENCY: '3',
      LOG_LEVEL: 'warning',
    }).startup.settings;
    expect(settings).toMatchObject({
      REDIS_READ_TIMEOUT_SECONDS: 1.5,
      METRICS_STREAM_READ_CONCURRENCY: 3,
      LOG_LEVEL: 'WARN',
    });
    expect(settings).not.toHaveProperty('REDIS_READ_TIMEOUT');
  });

  it('names in one list every given setting that changes nothing here, with what happens instead', () => {
    expect(loadConfig({}).startup.noEffect).toEqual({});
    const noEffect = loadConfig({
      REDIS_POOL_TIMEOUT_SECONDS: '4',
      REDIS_MIN_IDLE_CONNS: '2',
      REDIS_MAX_IDLE_CONNS: '5',
      REDIS_CON_MAX_IDLE_TIME_MINUTES: '30',
      FLAG_POLL_INTERVAL: '60',
      DEBUG: 'true',
      API_KEYS: 'key-1',
      REDIS_TLS_CA_CERT: '/ca.pem',
      REDIS_POOL_SIZE_LITERAL: '20',
    }).startup.noEffect;
    expect(Object.keys(noEffect).sort()).toEqual(
      [
        'API_KEYS',
        'DEBUG',
        'FLAG_POLL_INTERVAL',
        'REDIS_CON_MAX_IDLE_TIME_MINUTES',
        'REDIS_MAX_IDLE_CONNS',
        'REDIS_MIN_IDLE_CONNS',
        'REDIS_POOL_TIMEOUT_SECONDS',
        'REDIS_TLS_CA_CERT',
      ].sort(),
    );
    expect(noEffect.DEBUG).toContain('LOG_LEVEL=DEBUG');
    expect(JSON.stringify(noEffect)).not.toContain('key-1');
  });
});
