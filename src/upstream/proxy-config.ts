import type { EnvironmentConfig } from '../model/environment-config.js';

export interface ProxyConfigPage {
  pageCount: number;
  environments: EnvironmentConfig[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Decodes one `/proxy/config` page (docs/upstream.md). Missing or null arrays are empty
 * (the Go proxy panics on them); an environment whose id is not a UUID is skipped and reported.
 */
export function parseConfigPage(raw: unknown, skip: (reason: string) => void): ProxyConfigPage {
  const page = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const pageCount = typeof page.pageCount === 'number' ? page.pageCount : 0;
  const environments: EnvironmentConfig[] = [];
  for (const item of list(page.environments)) {
    const env = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    if (typeof env.id !== 'string' || !UUID.test(env.id)) {
      skip(`environment id ${JSON.stringify(env.id)} is not a UUID`);
      continue;
    }
    environments.push({
      id: env.id.toLowerCase(),
      apiKeys: list(env.apiKeys).filter((k): k is string => typeof k === 'string'),
      featureConfigs: list(env.featureConfigs) as EnvironmentConfig['featureConfigs'],
      segments: list(env.segments) as EnvironmentConfig['segments'],
      targets: [],
    });
  }
  return { pageCount, environments };
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
