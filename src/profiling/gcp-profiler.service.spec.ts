import { loadConfig } from '../config/load-config.js';
import { cloudProfilerService } from './gcp-profiler.service.js';

describe(cloudProfilerService.name, () => {
  const redis = { REDIS_ADDRESS: 'localhost:6379', AUTH_SECRET: 's' };

  it.each([
    [{ PROXY_KEY: 'k' }, 'ff-proxy-v2-primary'],
    [{ PROXY_KEY: 'k', ENV: 'prod-eu' }, 'ff-proxy-v2-primary.prod-eu'],
    [{ READ_REPLICA: 'true', ...redis }, 'ff-proxy-v2-replica'],
    [{ READ_REPLICA: 'true', ENV: 'qa', ...redis }, 'ff-proxy-v2-replica.qa'],
    [{ OFFLINE: 'true' }, 'ff-proxy-v2-primary'],
  ])('names the service as the Go proxy does for %j', (env, service) => {
    expect(cloudProfilerService(loadConfig({ GCP_PROFILER_ENABLED: 'true', ...env }))).toBe(
      service,
    );
  });
});
