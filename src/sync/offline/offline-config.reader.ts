import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { EnvironmentConfig } from '../../model/environment-config.js';
import type { FeatureConfig } from '../../model/feature-config.js';
import type { Segment } from '../../model/segment.js';
import type { Target } from '../../model/target.js';
import { StartupError } from '../../common/errors/startup-error.js';

/** A config directory that cannot be used; boot stops with this message. */
export class OfflineConfigError extends StartupError {
  override readonly name = 'OfflineConfigError';
}

const FILES = {
  apiKeys: 'auth_config.json',
  featureConfigs: 'feature_config.json',
  segments: 'segments.json',
  targets: 'targets.json',
} as const;

/**
 * Reads the offline config layout (docs/offline-config.md): every directory whose name
 * contains `env-`, anywhere under the root, is an environment; only the four known files are
 * read, each optional. A malformed file fails the whole load.
 */
export async function readOfflineConfig(root: string): Promise<EnvironmentConfig[]> {
  let entries;
  try {
    entries = await readdir(root, { recursive: true, withFileTypes: true });
  } catch (err) {
    throw new OfflineConfigError(`cannot read CONFIG_DIR ${root}: ${(err as Error).message}`);
  }
  const dirs = entries
    .filter((entry) => entry.isDirectory() && entry.name.includes('env-'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
  return Promise.all(dirs.map(readEnvironment));
}

async function readEnvironment(dir: string): Promise<EnvironmentConfig> {
  const [apiKeys, featureConfigs, segments, targets] = await Promise.all([
    readList(join(dir, FILES.apiKeys), (v): v is string => typeof v === 'string'),
    readList(join(dir, FILES.featureConfigs), identifiedBy<FeatureConfig>('feature')),
    readList(join(dir, FILES.segments), identifiedBy<Segment>('identifier')),
    readList(join(dir, FILES.targets), identifiedBy<Target>('identifier')),
  ]);
  return {
    id: basename(dir).replace(/^env-/, ''),
    apiKeys: apiKeys.map((key) => key.toLowerCase()),
    featureConfigs,
    segments,
    targets,
  };
}

async function readList<T>(path: string, valid: (value: unknown) => value is T): Promise<T[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      return [];
    }
    throw new OfflineConfigError(`cannot read ${path}: ${(err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new OfflineConfigError(`${path} is not valid JSON: ${(err as Error).message}`);
  }
  // `targets.json` may be the literal `null` (the Harness sample does this).
  if (parsed === null) {
    return [];
  }
  if (!Array.isArray(parsed) || !parsed.every(valid)) {
    throw new OfflineConfigError(`${path} must be a JSON array of ${basename(path, '.json')}`);
  }
  return parsed;
}

/**
 * An item of `T` as far as the loader checks it: an object with its identifying field. The rest
 * is Harness data passed through, normalised when it is written to the cache.
 */
function identifiedBy<T>(field: keyof T & string): (value: unknown) => value is T {
  return (value): value is T =>
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Record<string, unknown>)[field] === 'string';
}
